package io.microcanary.savaproduct;

import java.util.Locale;
import java.util.Optional;

/**
 * Picks the representation an {@code Accept} header asks for: the acceptable entry with the highest q-value
 * (an explicit version beats a wildcard at the same q, then the first listed wins). No header, {@code *}/{@code *},
 * {@code application/*} and {@code application/json} mean the latest version; empty means nothing acceptable (406).
 */
final class VersionNegotiation {

    private VersionNegotiation() {
    }

    static Optional<ApiVersion> choose(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(ApiVersion.LATEST);
        }
        ApiVersion best = null;
        double bestQ = 0;
        boolean bestExplicit = false;
        for (String entry : accept.split(",")) {
            String[] parts = entry.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            Optional<ApiVersion> version = versionFor(type);
            if (version.isEmpty() || q <= 0) {
                continue;
            }
            boolean explicit = type.startsWith("application/vnd.sava.v");
            if (q > bestQ || (q == bestQ && explicit && !bestExplicit)) {
                best = version.get();
                bestQ = q;
                bestExplicit = explicit;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<ApiVersion> versionFor(String type) {
        for (ApiVersion version : ApiVersion.values()) {
            if (version.mediaType().equals(type)) {
                return Optional.of(version);
            }
        }
        return switch (type) {
            case "*/*", "application/*", "application/json", "application/vnd.sava+json" -> Optional.of(ApiVersion.LATEST);
            default -> Optional.empty();
        };
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String[] pair = parameters[i].strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("q")) {
                try {
                    return Math.max(0, Math.min(1, Double.parseDouble(pair[1].strip())));
                } catch (NumberFormatException e) {
                    return 0; // an unreadable q-value makes the entry unacceptable rather than preferred
                }
            }
        }
        return 1;
    }
}
