package io.microcanary.support.problem;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * @param notFoundDetail what a request for an unknown path is told, e.g. the addressbook's
 *                       "404 - Not Found. Try the /all route"; by default the framework's "Page Not Found"
 */
@ConfigurationProperties("micro-canary.errors")
public record ErrorSettings(@Nullable String notFoundDetail) {
}
