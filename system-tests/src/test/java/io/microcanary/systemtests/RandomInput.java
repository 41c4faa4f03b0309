package io.microcanary.systemtests;

import java.util.List;
import java.util.Random;

/**
 * Seeded random input for generated tests: each run draws a new seed and names it, so a failure can be replayed
 * exactly with {@code -D<property>=<seed>}.
 */
final class RandomInput {

    private final long seed;
    private final String property;
    private final Random random;

    private RandomInput(long seed, String property) {
        this.seed = seed;
        this.property = property;
        this.random = new Random(seed);
    }

    /** The seed in the system property if set, else a fresh one. */
    static RandomInput fromSystemProperty(String property) {
        String given = System.getProperty(property);
        return new RandomInput(given == null || given.isBlank() ? new Random().nextLong() : Long.parseLong(given), property);
    }

    int below(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Up to {@code maxLength} characters from anywhere in the Basic Multilingual Plane, controls included. */
    String anyString(int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append((char) random.nextInt(Character.MAX_VALUE + 1));
        }
        return text.toString();
    }

    String letters(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "seed " + seed + " (replay with -D" + property + "=" + seed + ")";
    }
}
