package io.microcanary.deployer.cli;

import io.kubernetes.client.util.KubeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KUBECONFIG with several files is read as kubectl reads it. */
class KubeconfigFilesTest {

    @TempDir
    Path dir;

    @Test
    void theFilesOfKubeconfigAreMergedFirstNameWins() throws IOException {
        Path kind = write("kind.yaml", """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kind
                  cluster: {server: https://127.0.0.1:6443, certificate-authority: certs/kind-ca.crt}
                users:
                - name: kind
                  user: {token: abc}
                contexts:
                - name: kind
                  context: {cluster: kind, user: kind, namespace: shop}
                """);
        Path minikube = write("minikube.yaml", """
                apiVersion: v1
                kind: Config
                current-context: kind
                clusters:
                - name: kind
                  cluster: {server: https://127.0.0.1:9999}
                - name: minikube
                  cluster: {server: https://192.168.49.2:8443}
                contexts:
                - name: minikube
                  context: {cluster: minikube, user: minikube}
                """);

        List<Path> files = KubeconfigFiles.chosen(null, kind + ":" + dir.resolve("missing.yaml") + ":" + minikube, "/home");
        KubeConfig config = KubeConfig.loadKubeConfig(new StringReader(KubeconfigFiles.merged(files)));

        assertEquals(List.of(kind, minikube), files, "a file that does not exist is skipped, as kubectl skips it");
        assertEquals("kind", config.getCurrentContext(), "the current context may come from a later file");
        assertEquals("https://127.0.0.1:6443", config.getServer(), "the first file to name a cluster wins");
        assertEquals("shop", config.getNamespace());
        assertTrue(KubeconfigFiles.merged(files).contains(dir.resolve("certs/kind-ca.crt").toString()),
                "relative paths are resolved against the file that names them");
        assertTrue(config.setContext("minikube"), "contexts of every file are there");
    }

    @Test
    void theFlagWinsAndTheDefaultIsTheHomeConfig() {
        assertEquals(List.of(Path.of("/x/config")), KubeconfigFiles.chosen("/x/config", "/a:/b", "/home/me"));
        assertEquals(List.of(Path.of("/home/me/.kube/config")), KubeconfigFiles.chosen(null, "", "/home/me"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> KubeconfigFiles.chosen(null, dir.resolve("nope").toString(), "/home/me"));
        assertTrue(none.getMessage().startsWith("none of the files in KUBECONFIG exists"), none.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
