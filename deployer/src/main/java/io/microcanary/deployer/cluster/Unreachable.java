package io.microcanary.deployer.cluster;

import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** API server failures in a user's words: one line saying what is wrong and what to try, not a Java exception. */
final class Unreachable {

    private Unreachable() {
    }

    /** A request that got no HTTP answer at all. */
    static String describe(String server, ApiException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        while (cause.getCause() != null && !(cause instanceof ConnectException)) {
            cause = cause.getCause();
        }
        String why = cause instanceof ConnectException ? "connection refused"
                : cause instanceof UnknownHostException ? "unknown host " + cause.getMessage()
                : cause instanceof SocketTimeoutException ? "no answer in time"
                : cause instanceof SSLException ? "TLS failed (" + cause.getMessage() + ")"
                : String.valueOf(cause.getMessage());
        return "cannot reach the Kubernetes API server at " + server + ": " + why
                + " (is the cluster running? try: kubectl cluster-info)";
    }

    /** The {@code message} of a Status body, or the body itself when it is not one. */
    static String statusMessage(String body) {
        try {
            var status = JsonParser.parseString(body).getAsJsonObject();
            if (status.has("message")) {
                return status.get("message").getAsString();
            }
        } catch (RuntimeException notJson) {
            // an answer from something that is not an API server (a proxy's error page): show it as it is
        }
        return body;
    }
}
