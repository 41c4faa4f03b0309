package io.microcanary.savaproduct;

import java.util.List;

/** The catalogue's representations, GitHub-style: chosen by {@code Accept}, newest by default. */
enum ApiVersion {
    V1("application/vnd.sava.v1+json"),
    V2("application/vnd.sava.v2+json");

    static final ApiVersion LATEST = V2;

    /** Newest first: what a 406 lists, and what {@code application/json} and wildcards get. */
    static final List<String> SUPPORTED = List.of(V2.mediaType, V1.mediaType, "application/json");

    private final String mediaType;

    ApiVersion(String mediaType) {
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }
}
