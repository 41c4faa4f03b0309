package io.microcanary.support.startup;

import io.microcanary.support.ServiceConventions;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.env.PropertySourceLoader;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;
import io.micronaut.inject.BeanDefinitionReference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListedServicesTest {

    private final ClassLoader classLoader = ListedServicesTest.class.getClassLoader();

    @Test
    void listsWhatMicronautsOwnScanFinds() throws IOException {
        // this class path has both kinds of location: target/classes directories and jars
        Map<String, Set<String>> listed = ListedServices.micronautServices(classLoader);
        assertNotNull(listed);

        assertEquals(sorted(MicronautMetaServiceLoaderUtils.findAllMicronautMetaServices(classLoader)), sorted(listed));
        assertTrue(listed.get(BeanDefinitionReference.class.getName()).size() > 100, listed::toString);
    }

    @Test
    void micronautLoadsItsServicesFromTheListing() {
        Object optimization = StaticOptimizations.get(SoftServiceLoader.Optimizations.class).orElse(null);
        assertInstanceOf(SoftServiceLoader.Optimizations.class, optimization, "ListedServices is registered as a loader");

        // META-INF/micronaut entries (ServiceConventions is a @ContextConfigurer) and META-INF/services files alike
        assertTrue(classNames(SoftServiceLoader.load(ApplicationContextConfigurer.class).collectAll())
                .contains(ServiceConventions.class.getName()));
        assertTrue(classNames(SoftServiceLoader.load(PropertySourceLoader.class).collectAll())
                .contains(YamlPropertySourceLoader.class.getName()));
    }

    @Test
    void createsEveryBeanDefinitionMicronautsScanWould() throws IOException {
        Set<String> scanned = MicronautMetaServiceLoaderUtils.findAllMicronautMetaServices(classLoader)
                .get(BeanDefinitionReference.class.getName());
        Set<String> loaded = classNames(MicronautMetaServiceLoaderUtils.findMetaMicronautServiceEntries(
                classLoader, BeanDefinitionReference.class, null));

        // the same, less the classes that cannot load here (optional dependencies), which Micronaut skips as well
        assertTrue(scanned.containsAll(loaded));
        assertTrue(loaded.size() > scanned.size() * 9 / 10, () -> loaded.size() + " of " + scanned.size());
    }

    @Test
    void aJvmFlagLeavesMicronautsScanInPlace() {
        System.setProperty(ListedServices.SWITCH, "false");
        try {
            assertInstanceOf(ListedServices.NotListed.class, new ListedServices().load());
        } finally {
            System.clearProperty(ListedServices.SWITCH);
        }
    }

    private static Map<String, Set<String>> sorted(Map<String, Set<String>> services) {
        Map<String, Set<String>> sorted = new TreeMap<>();
        services.forEach((type, classes) -> sorted.put(type, new TreeSet<>(classes)));
        return sorted;
    }

    private static Set<String> classNames(java.util.Collection<?> services) {
        return services.stream().map(service -> service.getClass().getName()).collect(Collectors.toCollection(TreeSet::new));
    }
}
