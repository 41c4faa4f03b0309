package io.microcanary.addressbook;

import io.microcanary.testsupport.http.Http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code micro_canary_people_list_reads_total} from the service's /prometheus, as an operator would. */
final class PeopleListMetrics {

    private PeopleListMetrics() {
    }

    /** True once the listener is subscribed: a second read in a row is answered from memory. */
    static boolean servesFromMemory(Http http) {
        http.get("/all");
        double before = reads(http, "memory");
        http.get("/all");
        return reads(http, "memory") > before;
    }

    static double reads(Http http, String source) {
        String metrics = http.get("/prometheus").body();
        Matcher sample = Pattern.compile("(?m)^micro_canary_people_list_reads_total\\{[^}]*source=\"" + source
                + "\"[^}]*} (\\S+)$").matcher(metrics);
        if (!sample.find()) {
            throw new AssertionError("no list reads from " + source + " in /prometheus:\n" + metrics);
        }
        return Double.parseDouble(sample.group(1));
    }
}
