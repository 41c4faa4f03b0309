package io.microcanary.support.background;

import io.microcanary.testsupport.Poller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundLoopTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    private final List<BackgroundLoop> loops = new ArrayList<>();

    @AfterEach
    void stopLoops() throws InterruptedException {
        for (BackgroundLoop loop : loops) {
            loop.stop();
        }
    }

    @Test
    void runsNothingUntilStartedThenRoundAfterRound() {
        AtomicInteger rounds = new AtomicInteger();
        BackgroundLoop loop = track(BackgroundLoop.named("loop-test-rounds").running(rounds::incrementAndGet));

        assertFalse(LiveThreads.named("loop-test-rounds"), "building a loop starts no thread");
        assertEquals(0, rounds.get());

        loop.start();
        assertTrue(LiveThreads.named("loop-test-rounds"));
        Poller.within(SOON).until("a few rounds", () -> rounds.get() >= 5);
    }

    @Test
    void aFailedRoundIsReportedAndFollowedByAPauseThatDoublesUpToTheBound() {
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Duration> reported = new CopyOnWriteArrayList<>();
        List<Long> roundStarts = new CopyOnWriteArrayList<>();
        BackgroundLoop loop = track(BackgroundLoop.named("loop-test-backoff")
                .backingOff(Duration.ofMillis(20), Duration.ofMillis(80))
                .reportingFailuresTo((failure, retryIn) -> {
                    failures.add(failure.getMessage());
                    reported.add(retryIn);
                })
                .running(() -> {
                    roundStarts.add(System.nanoTime());
                    if (roundStarts.size() <= 6) {
                        throw new IllegalStateException("store away");
                    }
                }));

        loop.start();
        Poller.within(SOON).until("six failures and a success", () -> roundStarts.size() >= 7);

        assertEquals(List.of(ms(20), ms(40), ms(80), ms(80), ms(80), ms(80)), reported);
        assertEquals(6, failures.stream().filter("store away"::equals).count(), failures::toString);
        for (int i = 0; i < 6; i++) {
            long gapMillis = (roundStarts.get(i + 1) - roundStarts.get(i)) / 1_000_000;
            assertTrue(gapMillis >= reported.get(i).toMillis() - 1,
                    "round " + (i + 1) + " came " + gapMillis + " ms after a failure that asked for " + reported.get(i));
        }
    }

    @Test
    void aSuccessStartsTheBackOffAgainFromTheFirstPause() {
        AtomicInteger round = new AtomicInteger();
        List<Duration> reported = new CopyOnWriteArrayList<>();
        BackgroundLoop loop = track(BackgroundLoop.named("loop-test-reset")
                .backingOff(Duration.ofMillis(5), Duration.ofSeconds(1))
                .reportingFailuresTo((failure, retryIn) -> reported.add(retryIn))
                .running(() -> {
                    int n = round.incrementAndGet();
                    if (n == 1 || n == 2 || n == 4) { // fail, fail, succeed, fail
                        throw new IllegalStateException("round " + n);
                    }
                }));

        loop.start();
        Poller.within(SOON).until("four rounds", () -> round.get() >= 5);

        assertEquals(List.of(ms(5), ms(10), ms(5)), reported.subList(0, 3));
    }

    @Test
    void stopCutsAPauseShortAndJoinsTheThread() throws InterruptedException {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch exited = new CountDownLatch(1);
        BackgroundLoop[] self = new BackgroundLoop[1];
        BackgroundLoop loop = BackgroundLoop.named("loop-test-stop")
                .onExit(exited::countDown)
                .running(() -> {
                    paused.countDown();
                    self[0].pause(Duration.ofMinutes(10));
                });
        self[0] = loop;
        loop.start();
        Poller.within(SOON).until("the round to pause", () -> paused.getCount() == 0);

        long started = System.nanoTime();
        loop.stop();
        long stopMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(stopMillis < 2_000, "stopped in " + stopMillis + " ms");
        assertEquals(0, exited.getCount(), "the exit hook ran before stop returned");
        assertFalse(LiveThreads.named("loop-test-stop"), "the thread has ended");
        assertTrue(loop.stopping());
    }

    @Test
    void stopWakesAWaitTheRoundDoesItself() throws InterruptedException {
        Semaphore work = new Semaphore(0);
        AtomicInteger rounds = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.named("loop-test-wake")
                .wakingWith(work::release)
                .running(() -> {
                    rounds.incrementAndGet();
                    work.acquire(); // waits for work with no timeout: only the wake-up ends it
                });
        loop.start();
        Poller.within(SOON).until("the round to wait for work", () -> rounds.get() == 1 && work.hasQueuedThreads());

        loop.stop();

        assertFalse(LiveThreads.named("loop-test-wake"), "the thread has ended");
        assertEquals(1, rounds.get(), "no round after stop");
    }

    @Test
    void aLoopStoppedBeforeItStartedNeverRuns() throws InterruptedException {
        AtomicInteger rounds = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.named("loop-test-never").running(rounds::incrementAndGet);

        loop.stop();
        loop.start();

        assertFalse(LiveThreads.named("loop-test-never"));
        assertEquals(0, rounds.get());
    }

    @Test
    void anInterruptedRoundEndsTheLoop() {
        CountDownLatch exited = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        BackgroundLoop loop = track(BackgroundLoop.named("loop-test-interrupt")
                .onExit(exited::countDown)
                .running(() -> {
                    rounds.incrementAndGet();
                    throw new InterruptedException();
                }));

        loop.start();

        Poller.within(SOON).until("the loop to end", () -> exited.getCount() == 0);
        assertEquals(1, rounds.get());
    }

    private BackgroundLoop track(BackgroundLoop loop) {
        loops.add(loop);
        return loop;
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
