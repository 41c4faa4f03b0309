package io.microcanary.savacart;

import io.micronaut.http.cookie.Cookie;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CartCookieTest {

    private static StoreSettings settings(String key) {
        return new StoreSettings("ie", "Sava Store", key, new StoreSettings.Breaker(3, Duration.ofSeconds(5)));
    }

    private final CartCookie cookies = new CartCookie(settings("key-one"));

    @Test
    void aCartSurvivesTheRoundTripInOrder() {
        Cart cart = Cart.EMPTY.add(7).add(3).add(7);

        Cookie cookie = cookies.write(cart);

        assertEquals(Map.of(7L, 2, 3L, 1), cookies.read(Optional.of(cookie)).quantities());
        assertEquals("7-2_3-1", cookie.getValue().substring(0, cookie.getValue().indexOf('.')));
        assertTrue(cookie.isHttpOnly());
    }

    @Test
    void anyChangeToTheValueEmptiesTheCart() {
        String value = cookies.write(Cart.EMPTY.add(3)).getValue();

        assertEquals(Cart.EMPTY, cookies.read(Optional.of(Cookie.of("cart", value.replace("3-1", "3-9")))));
        assertEquals(Cart.EMPTY, cookies.read(Optional.of(Cookie.of("cart", value + "x"))));
        assertEquals(Cart.EMPTY, cookies.read(Optional.of(Cookie.of("cart", "3-1"))));
    }

    @Test
    void anotherKeysCookieIsNotTrusted() {
        Cookie foreign = new CartCookie(settings("key-two")).write(Cart.EMPTY.add(3));

        assertEquals(Cart.EMPTY, cookies.read(Optional.of(foreign)));
    }

    @Test
    void replicasSharingAKeyReadEachOthersCarts() {
        Cookie written = new CartCookie(settings("key-one")).write(Cart.EMPTY.add(6));

        assertEquals(Map.of(6L, 1), cookies.read(Optional.of(written)).quantities());
    }

    @Test
    void quantitiesAreCapped() {
        Cart cart = Cart.EMPTY;
        for (int i = 0; i < 150; i++) {
            cart = cart.add(3);
        }
        assertEquals(Cart.MAX_QUANTITY, cart.count());
    }
}
