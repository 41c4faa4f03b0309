package io.microcanary.savacart;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/** Prices in the store's currency: {@code en} and {@code uk} pay in GBP, {@code us} in USD, everyone else in EUR. */
final class Money {

    private final Currency currency;
    private final Locale formatting;

    Money(String storeLocale) {
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
    }

    /** E.g. £59.00, $34.00, €25.00. */
    String format(BigDecimal amount) {
        NumberFormat format = NumberFormat.getCurrencyInstance(formatting);
        format.setCurrency(currency);
        return format.format(amount);
    }

    String currencyCode() {
        return currency.getCurrencyCode();
    }
}
