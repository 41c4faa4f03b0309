package io.microcanary.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of its own with only a loopback interface, so commands that use the documented ports (5432,
 * 3001, ...) get them however busy this machine's ports are, and collide with nothing outside. It lives as long as
 * a holder process ({@code unshare --net}); commands join it with {@code nsenter}. Needs root, as CI and these
 * machines run; without it the constructor fails saying so rather than the docs test being skipped.
 */
final class NetworkNamespace implements AutoCloseable {

    private final Process holder;

    NetworkNamespace() throws IOException {
        holder = new ProcessBuilder("unshare", "--net", "--", "sh", "-c", "ip link set lo up && echo up && exec cat")
                .redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"up".equals(first)) {
            holder.destroyForcibly();
            throw new IllegalStateException("could not make a network namespace (unshare --net and ip need root and "
                    + "iproute2): " + first);
        }
    }

    /** {@code command}, to be run inside the namespace. */
    List<String> inside(List<String> command) {
        List<String> joined = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(holder.pid()), "--net", "--"));
        joined.addAll(command);
        return joined;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        holder.getOutputStream().close(); // ends the holder's cat
        if (!holder.waitFor(10, TimeUnit.SECONDS)) {
            holder.destroyForcibly();
        }
    }
}
