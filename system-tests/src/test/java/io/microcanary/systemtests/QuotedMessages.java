package io.microcanary.systemtests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages a document quotes from the code, so a test can find each in the sources. A marker
 * {@code <!-- docs-test: quotes-code -->} on the line before a fenced block makes every line of the block a quote;
 * before a paragraph, list or table, every backquoted span of it up to the next blank line. An ellipsis ({@code …})
 * stands for a part that varies (a pod name, a port); the text either side of it must be in the code as written.
 */
record QuotedMessages(Path file, int line, String quote) {

    private static final String MARKER = "<!-- docs-test: quotes-code -->";
    private static final Pattern BACKQUOTED = Pattern.compile("`([^`]+)`");

    static List<QuotedMessages> parse(Path file, String markdown) {
        List<QuotedMessages> quotes = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().equals(MARKER)) {
                continue;
            }
            if (i + 1 < lines.length && lines[i + 1].strip().startsWith("```")) {
                for (int j = i + 2; j < lines.length && !lines[j].strip().startsWith("```"); j++) {
                    if (!lines[j].isBlank()) {
                        quotes.add(new QuotedMessages(file, j + 1, lines[j].strip()));
                    }
                }
            } else {
                for (int j = i + 1; j < lines.length && !lines[j].isBlank(); j++) {
                    Matcher span = BACKQUOTED.matcher(lines[j]);
                    while (span.find()) {
                        quotes.add(new QuotedMessages(file, j + 1, span.group(1)));
                    }
                }
            }
        }
        return quotes;
    }

    /** The parts of the quote that do not vary, each of which the code must contain. */
    List<String> fixedParts() {
        return Arrays.stream(quote.split("…")).filter(part -> !part.isBlank()).toList();
    }

    String where() {
        return file.getFileName() + ":" + line;
    }
}
