package io.microcanary.deployer.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a failing container's log that explain it. A JVM that dies prints a stack trace whose last lines are
 * frames ({@code at ...}, {@code ... 12 more}); the cause is above them. So frames are left out and the last
 * {@code lines} of what remains are kept: the exception, its {@code Caused by:} chain and the log lines before them.
 */
public final class LogExcerpt {

    private LogExcerpt() {
    }

    public static List<String> explaining(String log, int lines) {
        List<String> kept = new ArrayList<>();
        for (String line : log.strip().split("\n")) {
            String trimmed = line.strip();
            boolean frame = trimmed.startsWith("at ") || trimmed.matches("\\.\\.\\. \\d+ more")
                    || trimmed.matches("\\.\\.\\. \\d+ common frames omitted");
            if (!frame && !trimmed.isEmpty()) {
                kept.add(line.stripTrailing());
            }
        }
        return kept.subList(Math.max(0, kept.size() - lines), kept.size());
    }
}
