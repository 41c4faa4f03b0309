package io.microcanary.deployer.cli;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Where the harness gets its {@link ApiClient}: the kubeconfig in real use, an emulated API server in tests. */
public interface ClientFactory {

    /** A client and the namespace to work in, for the global options given. */
    Connection connect(String kubeconfig, String context, String namespace);

    record Connection(ApiClient client, String namespace) {
    }

    /** The namespace this project's manifests use, when neither {@code -n} nor the context names one. */
    String DEFAULT_NAMESPACE = "micro-canary";

    /** kubectl's rules for the kubeconfig (see {@link KubeconfigFiles}), its context and namespace. */
    ClientFactory KUBECONFIG = (kubeconfig, context, namespace) -> {
        List<Path> files = KubeconfigFiles.chosen(kubeconfig, System.getenv("KUBECONFIG"),
                System.getProperty("user.home"));
        String where = files.size() == 1 ? files.get(0).toString() : "the files of KUBECONFIG";
        try {
            KubeConfig config = KubeConfig.loadKubeConfig(new StringReader(KubeconfigFiles.merged(files)));
            config.setFile(files.get(0).toFile());
            if (context != null && !config.setContext(context)) {
                throw new IllegalArgumentException("context " + context + " is not in " + where);
            }
            if (config.getServer() == null) {
                throw new IllegalArgumentException("no current context in " + where
                        + ": choose one with kubectl config use-context, or pass --context");
            }
            ApiClient client = ClientBuilder.kubeconfig(config).build();
            client.setReadTimeout((int) Duration.ofSeconds(30).toMillis());
            String chosen = namespace != null ? namespace
                    : config.getNamespace() != null ? config.getNamespace() : DEFAULT_NAMESPACE;
            return new Connection(client, chosen);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read kubeconfig " + where + ": " + e.getMessage(), e);
        }
    };
}
