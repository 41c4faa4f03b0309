package io.microcanary.scripts;

import io.microcanary.testsupport.Checkout;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one image tag (scripts/image-tag.sh, image_tag in lib.sh), computed for real in a throw-away git repository
 * holding a copy of the scripts and manifests (the checkout itself changes under other people's hands): the commit's
 * tag for a clean tree, a distinct -dirty-<hash> tag for each different set of uncommitted changes, and that tag
 * carried by a build through scripts/render.sh into the manifests, which are never left with the placeholder.
 */
class ImageTagTest {

    private static final Path FAKES = Path.of("src/test/resources/fakes").toAbsolutePath();
    private static final List<String> COPIED = List.of("scripts", "k8s/base", "k8s/components", "k8s/overlays",
            "infrastructure/k8s", "addressbook/build.sh", "addressbook/pom.xml", "webapp/build.sh", "webapp/pom.xml", "minikube.sh", "Dockerfile", "jvm.options",
            ".gitignore");

    private Path repo;
    private Path state;

    @BeforeEach
    void aCommittedCopyOfTheScriptsAndManifests() throws Exception {
        repo = Files.createTempDirectory("image-tag-");
        state = Files.createTempDirectory("image-tag-fakes-");
        Files.createFile(state.resolve("calls.log"));
        Path root = Checkout.root();
        for (String path : COPIED) {
            copy(root.resolve(path), repo.resolve(path));
        }
        run("git", "init", "-q");
        run("git", "add", "-A");
        run("git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "copy");
    }

    @Test
    void aCleanTreeIsTaggedWithItsCommitAndEveryChangeGetsADistinctTag() throws Exception {
        String commit = run("git", "rev-parse", "--short=7", "HEAD").strip();
        assertEquals("0.1.0-" + commit, tag(), "clean tree");

        Files.writeString(repo.resolve("jvm.options"), "-Xss512k\n", java.nio.file.StandardOpenOption.APPEND);
        String edited = tag();
        assertTrue(edited.matches("0\\.1\\.0-" + commit + "-dirty-[0-9a-f]{8}"), edited);
        assertEquals(edited, tag(), "the same changes, the same tag");

        Files.writeString(repo.resolve("jvm.options"), "-Xss1m\n", java.nio.file.StandardOpenOption.APPEND);
        String editedAgain = tag();
        assertNotEquals(edited, editedAgain, "another change, another tag: the old image is never overwritten");

        run("git", "checkout", "--", "jvm.options");
        assertEquals("0.1.0-" + commit, tag(), "reverted: the commit's tag again");

        Files.writeString(repo.resolve("scripts/new-helper.sh"), "#!/usr/bin/env bash\n");
        assertTrue(tag().startsWith("0.1.0-" + commit + "-dirty-"), "a new file is a change too");
        Files.delete(repo.resolve("scripts/new-helper.sh"));

        Files.createDirectories(repo.resolve("k8s/base/secrets"));
        Files.writeString(repo.resolve("k8s/base/secrets/sava-cart.env"), "CART_SIGNING_KEY=x\n");
        assertEquals("0.1.0-" + commit, tag(), "git-ignored files (secrets, .run-local) are not changes");
        assertTrue(tagOf(Map.of("IMAGE_TAG", "0.1.0-given")).equals("0.1.0-given"), "IMAGE_TAG passes one tag on (CI)");
    }

    @Test
    void aDirtyTreesBuildIsWhatTheManifestsDeploy() throws Exception {
        Files.writeString(repo.resolve("Dockerfile"), "# a local change\n", java.nio.file.StandardOpenOption.APPEND);
        String dirty = tag();
        assertTrue(dirty.contains("-dirty-"), dirty);

        ProcessRun build = script(List.of("bash", "addressbook/build.sh", "container"));
        assertEquals(0, build.exitCode(), build.output());
        assertTrue(build.output().endsWith("micro-canary/addressbook:" + dirty + "\n"), build.output());
        assertTrue(Files.readString(state.resolve("calls.log")).contains("--tag micro-canary/addressbook:" + dirty + " "));

        ProcessRun rendered = script(List.of("bash", "scripts/render.sh", "addressbook"));
        assertEquals(0, rendered.exitCode(), rendered.output());
        assertTrue(rendered.output().contains("image: micro-canary/addressbook:" + dirty + "\n"), rendered.output());

        ProcessRun everything = script(List.of("bash", "scripts/render.sh"));
        assertEquals(1, everything.exitCode(), "webapp was never built here: " + everything.output());
        assertTrue(everything.output().contains("no image of sava-product has been built here"), everything.output());
    }

    @Test
    void renderLeavesNoTemporaryDirectoryBehindWhenItFails() throws Exception {
        ProcessRun build = script(List.of("bash", "addressbook/build.sh", "container"));
        assertEquals(0, build.exitCode(), build.output());
        Files.writeString(repo.resolve("k8s/overlays/minikube/kustomization.yaml"), "resources: [\n",
                java.nio.file.StandardOpenOption.APPEND);

        ProcessRun rendered = script(List.of("bash", "scripts/render.sh", "addressbook"));

        assertTrue(rendered.exitCode() != 0, rendered.output());
        try (Stream<Path> left = Files.list(repo.resolve(".run-local"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("render.")).toList(),
                    "render's temporary kustomization is removed on failure");
        }
    }

    private String tag() throws Exception {
        return tagOf(Map.of());
    }

    private String tagOf(Map<String, String> env) throws Exception {
        ProcessRun result = exec(List.of("bash", "scripts/image-tag.sh"), env);
        assertEquals(0, result.exitCode(), result.output());
        return result.output().strip();
    }

    private ProcessRun script(List<String> command) throws Exception {
        return exec(command, Map.of("PATH", FAKES + ":" + System.getenv("PATH"), "FAKE_LOG",
                state.resolve("calls.log").toString(), "FAKE_STATE", state.toString(), "SKIP_JAR_BUILD", "1"));
    }

    private String run(String... command) throws Exception {
        ProcessRun result = exec(List.of(command), Map.of());
        assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.output());
        return result.output();
    }

    /** In the throw-away copy, without the tag and state overrides a developer's shell may carry. */
    private ProcessRun exec(List<String> command, Map<String, String> env) throws Exception {
        return ProcessRun.of(command, repo, env, Duration.ofMinutes(1), "IMAGE_TAG", "MICRO_CANARY_STATE");
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> files = Files.walk(from)) {
                // not scripts/target: this module's build output, git-ignored, and written while the tests run
                for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/secrets/"))
                        .filter(f -> !from.relativize(f).startsWith("target")).toList()) {
                    Path target = to.resolve(from.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

}
