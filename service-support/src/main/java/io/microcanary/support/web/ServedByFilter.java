package io.microcanary.support.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Every answer says which version and which pod served it: {@code X-Served-By: 0.1.0-9e1b7d3/addressbook-canary-7d9c5-x2}.
 * While a canary runs, a learner counts its share of the answers with curl, and a team tells the tracks apart in
 * any proxy's log. On Kubernetes the Deployment hands both in through the downward API ({@code APP_VERSION} from the
 * pod's {@code version} label, {@code POD_NAME} from its name); elsewhere the version is {@code dev} and the pod is
 * the host's name.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ServedByFilter {

    static final String HEADER = "X-Served-By";

    private final String servedBy;

    ServedByFilter(@Value("${app.version:dev}") String version, @Value("${pod.name:}") String pod) {
        this.servedBy = version + "/" + (pod.isBlank() ? hostName() : pod);
    }

    @ResponseFilter
    void sayWhoServed(MutableHttpResponse<?> response) {
        response.header(HEADER, servedBy);
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
