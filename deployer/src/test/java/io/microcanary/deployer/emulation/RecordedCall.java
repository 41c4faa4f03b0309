package io.microcanary.deployer.emulation;

/** One request the harness sent, as the API server saw it. */
public record RecordedCall(String method, String path, String query, String contentType, String body) {

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query)
                + (contentType == null ? "" : " [" + contentType.split(";")[0] + "]");
    }
}
