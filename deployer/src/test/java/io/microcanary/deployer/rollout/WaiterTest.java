package io.microcanary.deployer.rollout;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaiterTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final FakeTicker ticker = new FakeTicker();
    private final Waiter waiter = new Waiter(new PrintStream(printed, true, StandardCharsets.UTF_8), ticker,
            Duration.ofSeconds(2));

    @Test
    void printsProgressWhenItChangesAndReturnsWhenDone() {
        Iterator<Waiter.Check> checks = List.<Waiter.Check>of(new Waiter.Check.Waiting("0/1 ready"),
                new Waiter.Check.Waiting("0/1 ready"), new Waiter.Check.Waiting("1/1 ready"),
                new Waiter.Check.Done("rolled out")).iterator();

        assertEquals("rolled out", waiter.until("addressbook-canary", Duration.ofSeconds(120), checks::next));
        assertEquals("""
                waiting for addressbook-canary: 0/1 ready (0s/120s)
                waiting for addressbook-canary: 1/1 ready (4s/120s)
                """, printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void failsAtTheDeadlineWithTheLastProgress() {
        Waiter.WaitFailed failed = assertThrows(Waiter.WaitFailed.class, () -> waiter.until("addressbook",
                Duration.ofSeconds(10), () -> new Waiter.Check.Waiting("1/3 ready")));
        assertEquals("timed out after 10s waiting for addressbook: 1/3 ready (10s/10s)", failed.getMessage());
        assertEquals(10, Duration.ofNanos(ticker.nanos()).toSeconds());
    }

    @Test
    void aFailedCheckEndsTheWaitAtOnce() {
        Waiter.WaitFailed failed = assertThrows(Waiter.WaitFailed.class, () -> waiter.until("x",
                Duration.ofMinutes(5), () -> new Waiter.Check.Failed("pod x-1 is in CrashLoopBackOff")));
        assertEquals("pod x-1 is in CrashLoopBackOff", failed.getMessage());
        assertEquals(0, ticker.nanos());
    }

    @Test
    void repeatsUnchangedProgressAsAHeartbeat() {
        assertThrows(Waiter.WaitFailed.class, () -> waiter.until("x", Duration.ofSeconds(30),
                () -> new Waiter.Check.Waiting("0/1 ready")));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("(0s/30s)") && output.contains("(10s/30s)") && output.contains("(20s/30s)"), output);
        assertEquals(4, output.lines().count(), output);
    }
}
