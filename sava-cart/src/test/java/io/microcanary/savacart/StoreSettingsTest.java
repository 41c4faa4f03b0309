package io.microcanary.savacart;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreSettingsTest {

    @Test
    void theOriginalVariablesBind() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("store.locale", "uk", "store.title", "Shop",
                "store.cart-signing-key", "k", "store.catalogue-breaker.open-for", "2s"))) {
            StoreSettings settings = context.getBean(StoreSettings.class);
            assertEquals("Shop (UK)", settings.heading());
            assertEquals(Duration.ofSeconds(2), settings.catalogueBreaker().openFor());
            assertEquals(3, settings.catalogueBreaker().failuresToOpen());
        }
    }

    @Test
    void aBadLocaleStopsTheStartNamingIt() {
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> ApplicationContext.run(Map.of("store.locale", "IRL")).getBean(StoreSettings.class));
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("locale") && messages.toString().contains("must be two lower-case letters"),
                messages::toString);
    }

    @Test
    void currenciesFollowTheLocale() {
        assertEquals("£59.00", new Money("uk").format(new java.math.BigDecimal("59")));
        assertEquals("£59.00", new Money("en").format(new java.math.BigDecimal("59")));
        assertEquals("$34.00", new Money("us").format(new java.math.BigDecimal("34")));
        assertEquals("€25.00", new Money("ie").format(new java.math.BigDecimal("25")));
        assertEquals("€15.00", new Money("nl").format(new java.math.BigDecimal("15")));
    }
}
