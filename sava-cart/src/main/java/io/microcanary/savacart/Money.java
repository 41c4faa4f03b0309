package io.microcanary.savacart;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/** Prices in the store's currency: {@code en} and {@code uk} pay in GBP, {@code us} in USD, everyone else in EUR. */
final class Money {

    private final Currency currency;
    /** Made once: building a currency format looks up the locale's patterns and currency symbol every time. */
    private final NumberFormat prototype;

    Money(String storeLocale) {
        Locale formatting;
        switch (storeLocale) {
            case "en", "uk" -> {
                currency = Currency.getInstance("GBP");
                formatting = Locale.UK;
            }
            case "us" -> {
                currency = Currency.getInstance("USD");
                formatting = Locale.US;
            }
            default -> {
                currency = Currency.getInstance("EUR");
                formatting = new Locale("en", "IE");
            }
        }
        prototype = NumberFormat.getCurrencyInstance(formatting);
        prototype.setCurrency(currency);
    }

    /** E.g. £59.00, $34.00, €25.00. */
    String format(BigDecimal amount) {
        // a NumberFormat is not thread-safe: each call formats with a copy of its own
        return ((NumberFormat) prototype.clone()).format(amount);
    }

    String currencyCode() {
        return currency.getCurrencyCode();
    }
}
