package io.microcanary.savacart;

import io.microcanary.testsupport.http.Http;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Http} plus a cookie jar, as a browser without JavaScript would use the store. */
final class Browser {

    private final Http http;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(Http http) {
        this.http = http;
    }

    Http.Response get(String path) {
        return remember(http.get(path, headers()));
    }

    Http.Response postForm(String path, String form) {
        return remember(http.send("POST", path, "application/x-www-form-urlencoded", form, headers()));
    }

    void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    private String[] headers() {
        if (cookies.isEmpty()) {
            return new String[]{"Accept", "text/html"};
        }
        StringBuilder header = new StringBuilder();
        cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
        return new String[]{"Accept", "text/html", "Cookie", header.toString()};
    }

    private Http.Response remember(Http.Response response) {
        response.headers().allValues("Set-Cookie").forEach(setCookie -> {
            String pair = setCookie.split(";", 2)[0];
            String[] parts = pair.split("=", 2);
            if (setCookie.toLowerCase().contains("max-age=0")) {
                cookies.remove(parts[0]);
            } else {
                cookies.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        });
        return response;
    }
}
