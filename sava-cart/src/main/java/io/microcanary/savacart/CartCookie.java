package io.microcanary.savacart;

import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The cart lives in a cookie signed with HMAC-SHA256, so the store keeps no session and any replica can serve any
 * request. A cookie whose signature does not match (tampered, or signed with another key) reads as an empty cart.
 */
@Singleton
class CartCookie {

    static final String NAME = "cart";
    private static final Logger LOG = LoggerFactory.getLogger(CartCookie.class);
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    CartCookie(StoreSettings settings) {
        byte[] secret;
        if (settings.cartSigningKey() == null || settings.cartSigningKey().isBlank()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            LOG.warn("CART_SIGNING_KEY is not set: carts are signed with a random key of this process only, so "
                    + "another replica (or a restart) will see empty carts");
        } else {
            secret = settings.cartSigningKey().getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    Cart read(Optional<Cookie> cookie) {
        return cookie.map(Cookie::getValue).flatMap(this::verified).map(CartCookie::parse).orElse(Cart.EMPTY);
    }

    Cookie write(Cart cart) {
        String payload = encode(cart);
        return Cookie.of(NAME, payload + "." + sign(payload)).path("/").httpOnly(true).sameSite(SameSite.Lax);
    }

    Cookie clear() {
        return Cookie.of(NAME, "").path("/").httpOnly(true).sameSite(SameSite.Lax).maxAge(0);
    }

    private Optional<String> verified(String value) {
        int dot = value.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String payload = value.substring(0, dot);
        byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
        byte[] given = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(payload) : Optional.empty();
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** {@code 3-2_6-1}: product 3 twice, product 6 once (cookie-safe characters only). */
    private static String encode(Cart cart) {
        StringJoiner lines = new StringJoiner("_");
        cart.quantities().forEach((id, quantity) -> lines.add(id + "-" + quantity));
        return lines.toString();
    }

    private static Cart parse(String payload) {
        Map<Long, Integer> quantities = new LinkedHashMap<>();
        if (payload.isEmpty()) {
            return Cart.EMPTY;
        }
        try {
            for (String line : payload.split("_")) {
                String[] parts = line.split("-", 2);
                int quantity = Integer.parseInt(parts[1]);
                if (quantity > 0 && quantity <= Cart.MAX_QUANTITY) {
                    quantities.put(Long.parseLong(parts[0]), quantity);
                }
            }
        } catch (RuntimeException e) {
            return Cart.EMPTY; // signed by us but unreadable: only an older format could do this
        }
        return new Cart(quantities);
    }
}
