package io.microcanary.systemtests;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which Docker Engine the image tests use: a CI runner's own before one they start themselves. */
class DockerDaemonTest {

    @Test
    void aDaemonDockerHostNamesIsUsedWhenItAnswers() {
        assertEquals("tcp://127.0.0.1:2375", DockerDaemon.existingDaemon("tcp://127.0.0.1:2375", Set.of("tcp://127.0.0.1:2375")::contains));
    }

    @Test
    void withoutDockerHostTheDefaultSocketIsUsedWhenItAnswersAsOnACiRunner() {
        List<String> asked = new ArrayList<>();
        String chosen = DockerDaemon.existingDaemon(null, host -> asked.add(host) && host.equals("unix:///var/run/docker.sock"));

        assertEquals("unix:///var/run/docker.sock", chosen);
        assertEquals(List.of("unix:///var/run/docker.sock"), asked);
    }

    @Test
    void noAnsweringDaemonMeansStartingOne() {
        assertNull(DockerDaemon.existingDaemon(null, host -> false));
        assertNull(DockerDaemon.existingDaemon("unix:///run/elsewhere.sock", host -> false),
                "a DOCKER_HOST that does not answer is not silently swapped for another daemon");
    }
}
