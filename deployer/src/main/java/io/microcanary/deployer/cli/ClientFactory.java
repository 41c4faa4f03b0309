package io.microcanary.deployer.cli;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where the harness gets its {@link ApiClient}: the kubeconfig in real use, an emulated API server in tests. */
public interface ClientFactory {

    /** A client and the namespace to work in, for the global options given. */
    Connection connect(String kubeconfig, String context, String namespace);

    record Connection(ApiClient client, String namespace) {
    }

    /** The namespace this project's manifests use, when neither {@code -n} nor the context names one. */
    String DEFAULT_NAMESPACE = "micro-canary";

    /** kubectl's rules: {@code --kubeconfig}, else the first file of {@code KUBECONFIG}, else ~/.kube/config. */
    ClientFactory KUBECONFIG = (kubeconfig, context, namespace) -> {
        Path file = kubeconfigFile(kubeconfig);
        try (Reader reader = Files.newBufferedReader(file)) {
            KubeConfig config = KubeConfig.loadKubeConfig(reader);
            config.setFile(file.toFile());
            if (context != null && !config.setContext(context)) {
                throw new IllegalArgumentException("context " + context + " is not in " + file);
            }
            ApiClient client = ClientBuilder.kubeconfig(config).build();
            client.setReadTimeout((int) Duration.ofSeconds(30).toMillis());
            String chosen = namespace != null ? namespace
                    : config.getNamespace() != null ? config.getNamespace() : DEFAULT_NAMESPACE;
            return new Connection(client, chosen);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
        }
    };

    private static Path kubeconfigFile(String explicit) {
        if (explicit != null) {
            return Path.of(explicit);
        }
        String fromEnv = System.getenv("KUBECONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv.split(java.io.File.pathSeparator)[0]);
        }
        return Path.of(System.getProperty("user.home"), ".kube", "config");
    }
}
