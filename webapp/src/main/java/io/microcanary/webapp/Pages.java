package io.microcanary.webapp;

import io.microcanary.support.web.Templates;
import jakarta.inject.Singleton;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The front end's pages, rendered on the server from src/main/jte (one layout, {@code layout.jte}) as UTF-8 bytes;
 * the templates escape every value. The report chart is inline SVG.
 */
@Singleton
class Pages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Templates templates = new Templates(Pages.class);
    private final byte[] home = templates.render("home.jte"); // the same for everyone: rendered once

    /** The add form as typed (never null), its result, and what to fix, if anything. */
    record AddForm(String first, String second, String result, String problem) {
    }

    record AuditLine(String time, String calc, long result) {
    }

    /** URL counts as horizontal bars, scaled to the most visited, in the SVG's 640-wide view box. */
    record Chart(List<Bar> bars) {
        static final int ROW_HEIGHT = 28;

        static Chart of(Map<String, Long> counts) {
            long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
            List<Bar> bars = new ArrayList<>(counts.size());
            for (Map.Entry<String, Long> entry : counts.entrySet()) {
                int top = 5 + bars.size() * ROW_HEIGHT;
                long width = Math.max(2, Math.round(400.0 * entry.getValue() / max));
                bars.add(new Bar(entry.getKey(), entry.getValue(), top, width));
            }
            return new Chart(bars);
        }

        int height() {
            return bars.size() * ROW_HEIGHT + 10;
        }
    }

    /** One URL's bar: its label at the left, the bar from x 180, the count just after the bar's end. */
    record Bar(String url, long count, int top, long width) {
        int baseline() {
            return top + 17;
        }

        long countX() {
            return 186 + width;
        }
    }

    byte[] home() {
        return home;
    }

    byte[] addForm(String first, String second, String result, String problem) {
        return templates.render("add.jte", new AddForm(Objects.requireNonNullElse(first, ""),
                Objects.requireNonNullElse(second, ""), result, problem));
    }

    byte[] audit(List<Downstream.AuditEntry> entries) {
        List<AuditLine> lines = entries.stream()
                .map(entry -> new AuditLine(entry.ts() == null ? "" : TIME.format(entry.ts()), entry.calc(), entry.result()))
                .toList();
        return templates.render("audit.jte", lines);
    }

    /** URL counts as a horizontal bar chart, most visited first. */
    byte[] report(Map<String, Long> counts) {
        return templates.render("report.jte", Chart.of(counts));
    }

    byte[] unavailable(String what) {
        return templates.render("unavailable.jte", what);
    }
}
