package io.microcanary.k8s;

import io.microcanary.testsupport.Checkout;
import io.microcanary.testsupport.ServiceTable;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What cannot read scripts/services.txt says the same ports as it: the manifests (kustomize reads no table), each
 * service's application.yml default, and the README's services table (written for people).
 */
class ServiceTableTest {

    @Test
    void theManifestsRunEveryServiceOfTheTableOnItsContainerAndServicePorts() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/base");
        Map<String, V1Deployment> deployments = byName(objects, V1Deployment.class);
        Map<String, V1Service> services = byName(objects, V1Service.class);

        assertEquals(ServiceTable.services().stream().sorted().toList(), deployments.keySet().stream().sorted().toList());
        for (ServiceTable row : ServiceTable.rows()) {
            var container = deployments.get(row.service()).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals(row.containerPort(), container.getPorts().get(0).getContainerPort(), row.service() + "'s containerPort");
            assertEquals(row.servicePort(), services.get(row.service()).getSpec().getPorts().get(0).getPort(), row.service() + "'s Service port");
        }
    }

    @Test
    void eachApplicationYmlListensOnTheContainerPortByDefault() throws Exception {
        for (ServiceTable row : ServiceTable.rows()) {
            String yml = Files.readString(Checkout.root().resolve(row.module() + "/src/main/resources/application.yml"));
            Matcher port = Pattern.compile("(?m)^\\s+port: \\$\\{PORT:(\\d+)}").matcher(yml);
            assertTrue(port.find(), row.module() + "'s application.yml has a port: ${PORT:...}");
            assertEquals(row.containerPort(), Integer.parseInt(port.group(1)), row.module() + "'s default port");
        }
    }

    /** The README's row of a module: | [module](module/) | local port(s) | container port | ... */
    @Test
    void theReadmesServicesTableSaysTheSamePorts() throws Exception {
        String readme = Files.readString(Checkout.root().resolve("README.md"));
        for (String module : ServiceTable.modules()) {
            Matcher row = Pattern.compile("(?m)^\\| \\[" + Pattern.quote(module) + "]\\(" + Pattern.quote(module)
                    + "/\\) \\| ([^|]+) \\| (\\d+) \\|").matcher(readme);
            assertTrue(row.find(), "the README's services table has a row for " + module);
            List<ServiceTable> rows = ServiceTable.rows().stream().filter(r -> r.module().equals(module)).toList();
            String localPorts = rows.size() == 1 ? String.valueOf(rows.get(0).localPort())
                    : rows.stream().map(r -> r.localPort() + " (`" + r.service().substring(module.length() + 1) + "`)")
                            .collect(Collectors.joining(", "));
            assertEquals(localPorts, row.group(1).strip(), module + "'s local port in the README");
            assertEquals(rows.get(0).containerPort(), Integer.parseInt(row.group(2)), module + "'s container port in the README");
        }
    }

    private static <T extends KubernetesObject> Map<String, T> byName(List<KubernetesObject> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast)
                .collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity()));
    }
}
