package io.microcanary.deployer.cli;

import io.microcanary.deployer.cluster.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        header = "Apply the stable Deployment of a service and wait for it.",
        description = "Apply the stable Deployment of SERVICE from the rendered manifests (server-side apply, field "
                + "manager micro-canary) and wait for it to roll out.",
        footer = {"", "Examples:", "  canary deploy addressbook --image micro-canary/addressbook:0.1.0-4f2a9c1 --replicas 3",
                "  canary deploy sava-product --manifests rendered.yaml"})
final class DeployCommand implements Callable<Integer> {

    @ParentCommand
    CanaryCommand canary;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The Deployment to apply, e.g. addressbook.")
    String service;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Image to run (default: the one running now, or the "
            + "manifest's on a first deploy).")
    String image;

    @Option(names = "--replicas", paramLabel = "N", description = "Replicas (default: the manifest's).")
    Integer replicas;

    @Option(names = {"-k", "--manifests"}, defaultValue = "k8s/overlays/minikube", paramLabel = "PATH",
            description = {"A kustomize directory (rendered with kubectl kustomize) or a rendered YAML file",
                    "(default: ${DEFAULT-VALUE})."})
    Path manifests;

    @Override
    public Integer call() {
        Cluster cluster = canary.cluster();
        return canary.release(cluster).deploy(Manifests.deployment(manifests, service), image, replicas);
    }
}
