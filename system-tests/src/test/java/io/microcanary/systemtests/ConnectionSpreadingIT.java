package io.microcanary.systemtests;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A pod that joins a Service later (a canary) gets its share of another service's requests within seconds, although
 * the Service balances per TCP connection (kube-proxy, here {@link RoundRobinProxy}) and the caller keeps its
 * connections alive. Real processes on both sides; the share is counted by each pod's own Prometheus request counter.
 */
class ConnectionSpreadingIT {

    /** The default connection lifetime is 5 s: four lifetimes to come round twice, and room for a slow machine. */
    private static final Duration SHARE_WITHIN = Duration.ofSeconds(40);
    private static final double FAIR_SHARE = 0.3;
    private static final int AT_LEAST_REQUESTS = 50;
    private static final int REQUESTS_PER_PROBE = 20;

    @Test
    void aCataloguePodThatJoinsLaterGetsItsShareOfTheStoresRequests() throws Exception {
        Pods catalogue = new Pods("/products/{locale}", Stores.freePort(), Stores.freePort());
        try (ServiceProcess first = ServiceProcess.start("sava-product", Map.of(), catalogue.first());
             ServiceProcess late = ServiceProcess.start("sava-product", Map.of(), catalogue.late());
             RoundRobinProxy service = RoundRobinProxy.to(catalogue.first());
             ServiceProcess store = ServiceProcess.start("sava-cart", Map.of("LOCALE", "ie",
                     "PRODUCT_SERVICE_ADDR", service.url(), "CART_SIGNING_KEY", "spreading-test-key"))) {
            Http shop = Http.at(store.url()).withTimeout(Duration.ofSeconds(5));

            lateJoinerGetsItsShare(service, catalogue, () -> {
                String page = shop.get("/", "Accept", "text/html").body();
                return page.contains("Dreamcatcher") && !page.contains("The catalogue is offline");
            });
        }
    }

    @Test
    void anAdderPodThatJoinsLaterGetsItsShareOfTheFrontEndsRequests() throws Exception {
        Pods adder = new Pods("/add/{first}/{second}", Stores.freePort(), Stores.freePort());
        try (StoreServer redis = Stores.start(StoreKind.REDIS);
             ServiceProcess first = ServiceProcess.start("adderservice", Map.of(), adder.first());
             ServiceProcess late = ServiceProcess.start("adderservice", Map.of(), adder.late());
             RoundRobinProxy service = RoundRobinProxy.to(adder.first());
             // no audit trail or event summary here: those calls fail fast on a closed port, off the page's path
             ServiceProcess webapp = ServiceProcess.start("webapp", Map.of("REDIS_URI", redis.url(),
                     "ADDERSERVICE_URL", service.url(), "AUDITSERVICE_URL", "http://127.0.0.1:" + Stores.freePort(),
                     "EVENTSERVICE_URL", "http://127.0.0.1:" + Stores.freePort()))) {
            Http frontEnd = Http.at(webapp.url()).withTimeout(Duration.ofSeconds(5));

            lateJoinerGetsItsShare(service, adder, () -> {
                Http.Response page = frontEnd.postForm("/add/calculate", "first=2&second=3");
                return page.status() == 200 && page.body().contains("result = 5");
            });
        }
    }

    /**
     * Once {@code request} answers through the first pod (the caller now holds a kept-alive connection to it), the
     * late pod joins the Service; requests go on until it has served {@link #FAIR_SHARE} of those made since, over
     * at least two connections: the caller keeps coming back to the Service for new ones. (A pool that grows by a
     * connection when a release lags behind the next request can land one on the late pod without any lifetime;
     * that is luck, not spreading.)
     */
    private static void lateJoinerGetsItsShare(RoundRobinProxy service, Pods pods, Supplier<Boolean> request) {
        Poller.within(Duration.ofSeconds(15)).until("the caller to answer through the first pod", request);

        service.join(pods.late());
        Share before = pods.requestsServed();
        List<Boolean> answers = new ArrayList<>();
        Share since = Poller.within(SHARE_WITHIN).until(
                "the late pod to serve " + Math.round(FAIR_SHARE * 100) + "% of at least " + AT_LEAST_REQUESTS
                        + " requests since it joined, over two connections or more",
                () -> {
                    for (int i = 0; i < REQUESTS_PER_PROBE; i++) {
                        answers.add(request.get());
                    }
                    return pods.requestsServed().minus(before);
                },
                share -> share.total() >= AT_LEAST_REQUESTS && share.lateFraction() >= FAIR_SHARE
                        && service.connectionsTo(pods.late()) >= 2,
                // without the counts, which change on every probe: a line each time this changes, or every 10 s
                share -> "late pod " + share.latePercent() + "% of the requests since it joined; connections: first pod "
                        + service.connectionsTo(pods.first()) + ", late pod " + service.connectionsTo(pods.late()));

        System.err.println("after the late pod joined: " + since + " over " + service.connectionsTo(pods.late())
                + " connection(s) to it");
        assertEquals(List.of(), answers.stream().filter(answered -> !answered).toList(),
                "every request answered in full while connections were retired");
    }

    /** Two pods of one Service, on these ports, counted by the requests their {@code route} served. */
    private record Pods(String route, int first, int late) {

        Share requestsServed() {
            return new Share(served(first), served(late));
        }

        private long served(int port) {
            String metrics = Http.at("http://127.0.0.1:" + port).get("/prometheus").body();
            return Math.round(metrics.lines()
                    .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                    .filter(line -> line.contains("uri=\"" + route + "\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum());
        }
    }

    private record Share(long first, long late) {

        Share minus(Share earlier) {
            return new Share(first - earlier.first, late - earlier.late);
        }

        long total() {
            return first + late;
        }

        double lateFraction() {
            return total() == 0 ? 0 : (double) late / total();
        }

        long latePercent() {
            return Math.round(lateFraction() * 100);
        }

        @Override
        public String toString() {
            return "first pod " + first + ", late pod " + late + " requests (" + latePercent() + "%)";
        }
    }
}
