package io.microcanary.k8s;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CI pipeline teams adopt: valid YAML, the jobs the docs describe, and only commands that exist here. */
class PipelineTest {

    private static final Path WORKFLOW = Rendered.root().resolve(".github/workflows/release.yml");
    private static final Pattern PROJECT_COMMAND = Pattern.compile("(?<![\\w/.-])((?:scripts|deployer|k8s)/[\\w./-]+)");

    @Test
    @SuppressWarnings("unchecked")
    void testsThenReleasesThroughAnalysedCanariesAndNeverLeavesOneBehind() throws IOException {
        Map<String, Object> workflow = new Yaml().load(Files.readString(WORKFLOW));
        Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
        assertEquals(List.of("test", "canary"), List.copyOf(jobs.keySet()));

        String testJob = runs((Map<String, Object>) jobs.get("test"));
        assertTrue(testJob.contains("bash .ci/run"), "the test job runs what CI runs: " + testJob);

        Map<String, Object> canary = (Map<String, Object>) jobs.get("canary");
        assertEquals("test", canary.get("needs"));
        String release = runs(canary);
        assertTrue(release.contains("deployer/canary start \"$service\" --image \"micro-canary/$service:$tag\" --auto"),
                release);
        List<Map<String, Object>> steps = (List<Map<String, Object>>) canary.get("steps");
        Map<String, Object> last = steps.get(steps.size() - 1);
        assertEquals("failure()", last.get("if"));
        assertTrue(String.valueOf(last.get("run")).contains("deployer/canary abort"), last.toString());
    }

    @Test
    void everyProjectPathItRunsExists() throws IOException {
        Matcher matcher = PROJECT_COMMAND.matcher(Files.readString(WORKFLOW));
        int found = 0;
        while (matcher.find()) {
            found++;
            assertTrue(Files.exists(Rendered.root().resolve(matcher.group(1))), matcher.group(1) + " exists");
        }
        assertTrue(found >= 5, "found the project's commands: " + found);
    }

    @SuppressWarnings("unchecked")
    private static String runs(Map<String, Object> job) {
        StringBuilder all = new StringBuilder();
        for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
            if (step.containsKey("run")) {
                all.append(step.get("run")).append('\n');
            }
        }
        return all.toString();
    }
}
