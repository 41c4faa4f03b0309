package io.microcanary.localstores;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;

/**
 * The store in a container, where a Docker daemon answers. The host port is fixed up front so that
 * stop/start (an outage) brings the server back on the same address.
 */
final class ContainerStoreServer implements StoreServer {

    private final StoreAddress address;
    private final GenericContainer<?> container;

    ContainerStoreServer(StoreKind kind, int hostPort) {
        this.address = StoreAddress.local(kind, hostPort);
        GenericContainer<?> base = new GenericContainer<>(DockerImageName.parse(kind.image()))
                .withExposedPorts(kind.standardPort())
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(new PortBinding(
                        Ports.Binding.bindIp("127.0.0.1").bindPort(hostPort), new ExposedPort(kind.standardPort()))))
                .withStartupTimeout(Duration.ofSeconds(60));
        this.container = switch (kind) {
            case POSTGRES -> base.withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                    .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2));
            case REDIS -> base.withCommand("redis-server", "--appendonly", "yes").waitingFor(Wait.forListeningPort());
            case MONGO -> base.waitingFor(Wait.forListeningPort());
        };
        container.start();
    }

    static boolean imagePresent(StoreKind kind) {
        try {
            return !DockerClientFactory.instance().client().listImagesCmd()
                    .withImageNameFilter(kind.image()).exec().isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public StoreAddress address() {
        return address;
    }

    @Override
    public String origin() {
        return "testcontainers " + container.getDockerImageName();
    }

    @Override
    public void stop() {
        DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).withTimeout(5).exec();
    }

    @Override
    public void start() {
        DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void close() {
        container.stop();
    }
}
