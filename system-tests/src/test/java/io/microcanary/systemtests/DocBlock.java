package io.microcanary.systemtests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced shell block of a Markdown document, with how the docs test treats it. The marker is an HTML comment on
 * the line before the fence, invisible on GitHub, next to prose that tells the reader the same thing:
 * <ul>
 *   <li>none: run it, it must exit 0;</li>
 *   <li>{@code <!-- docs-test: background until="text" -->}: start it, wait until its output shows the text, keep
 *       it running for the blocks after it, stop it at the end;</li>
 *   <li>{@code <!-- docs-test: cluster -->}: run it as a learner on minikube would, with the recorded fakes of
 *       minikube, kubectl and docker first on the PATH and {@code KUBECONFIG} pointing at an emulated API server
 *       holding the project's rendered manifests, so the real harness ({@code deployer/canary}) does the work;</li>
 *   <li>{@code <!-- docs-test: not-run reason="..." -->}: never run; the reason is required.</li>
 * </ul>
 * A block may also say {@code expect="text"}, more than once: its output must contain each text. A cluster block that releases a
 * change the prose asks the reader to commit first says {@code commit="9e1b7d3"}: it runs as the tree at that new
 * commit would, its images tagged {@code 0.1.0-9e1b7d3} ({@code IMAGE_TAG}), since the test cannot commit.
 */
record DocBlock(Path file, int line, String script, Mode mode, Map<String, String> options) {

    enum Mode { RUN, BACKGROUND, CLUSTER, NOT_RUN }

    private static final Pattern MARKER = Pattern.compile("<!--\\s*docs-test:\\s*(\\S+)(.*?)-->");
    /** {@code name="value"} or {@code name='value'} (the latter for values that contain double quotes). */
    private static final Pattern OPTION = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|'([^']*)')");
    private static final java.util.Set<String> SHELLS = java.util.Set.of("bash", "sh", "shell", "console");

    static List<DocBlock> parse(Path file, String markdown) {
        List<DocBlock> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String fence = lines[i].strip();
            if (!fence.startsWith("```") || !SHELLS.contains(fence.substring(3).strip())) {
                continue;
            }
            int start = i;
            StringBuilder script = new StringBuilder();
            while (++i < lines.length && !lines[i].strip().equals("```")) {
                script.append(lines[i]).append('\n');
            }
            if (i >= lines.length) {
                throw new IllegalStateException(file + ":" + (start + 1) + ": unclosed code fence");
            }
            blocks.add(of(file, start + 1, script.toString(), start > 0 ? lines[start - 1] : ""));
        }
        return blocks;
    }

    private static DocBlock of(Path file, int line, String script, String previousLine) {
        Matcher marker = MARKER.matcher(previousLine);
        if (!marker.find()) {
            return new DocBlock(file, line, script, Mode.RUN, Map.of());
        }
        Map<String, String> options = new java.util.HashMap<>();
        Matcher option = OPTION.matcher(marker.group(2));
        while (option.find()) {
            // expect may be given more than once: the output must contain each (kept one per line)
            options.merge(option.group(1), option.group(2) != null ? option.group(2) : option.group(3),
                    (first, next) -> first + "\n" + next);
        }
        Mode mode = switch (marker.group(1)) {
            case "run" -> Mode.RUN;
            case "background" -> Mode.BACKGROUND;
            case "cluster" -> Mode.CLUSTER;
            case "not-run" -> Mode.NOT_RUN;
            default -> throw new IllegalStateException(file + ":" + line + ": unknown docs-test mode " + marker.group(1));
        };
        if (mode == Mode.NOT_RUN && options.getOrDefault("reason", "").isBlank()) {
            throw new IllegalStateException(file + ":" + line + ": a not-run block must give a reason=\"...\"");
        }
        if (mode == Mode.BACKGROUND && !options.containsKey("until")) {
            throw new IllegalStateException(file + ":" + line + ": a background block must say until=\"...\"");
        }
        return new DocBlock(file, line, script, mode, Map.copyOf(options));
    }

    /** The texts the output must contain, in the order the marker gives them. */
    List<String> expectations() {
        String expect = options.get("expect");
        return expect == null ? List.of() : List.of(expect.split("\n"));
    }

    String where() {
        return file.getFileName() + ":" + line;
    }
}
