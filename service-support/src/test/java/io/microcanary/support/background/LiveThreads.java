package io.microcanary.support.background;

/** The one leak check for background threads in these tests: is a thread of that name still alive? */
public final class LiveThreads {

    private LiveThreads() {
    }

    public static boolean named(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(name));
    }
}
