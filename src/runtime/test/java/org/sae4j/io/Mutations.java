package org.sae4j.io;

import java.util.Arrays;
import java.util.Random;

/** Random byte-level damage for fuzzing readers; each step is appended to a description for failure messages. */
final class Mutations {

    private Mutations() {
    }

    /**
     * Applies one to three random flips, overwrites, truncations, insertions or deletions to a copy of {@code base};
     * positions fall before {@code hotEnd} (the header) three times out of four.
     */
    static byte[] mutate(byte[] base, int hotEnd, Random random, StringBuilder description) {
        byte[] bytes = base.clone();
        int steps = 1 + random.nextInt(3);
        for (int s = 0; s < steps; s++) {
            int limit = random.nextInt(4) < 3 && hotEnd > 0 ? Math.min(hotEnd, bytes.length) : bytes.length;
            int at = limit == 0 ? 0 : random.nextInt(limit);
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (bytes.length > 0) {
                        int bit = random.nextInt(8);
                        bytes[at] ^= (byte) (1 << bit);
                        description.append("flip bit ").append(bit).append(" at ").append(at).append("; ");
                    }
                }
                case 1 -> {
                    if (bytes.length > 0) {
                        byte value = interesting(random);
                        bytes[at] = value;
                        description.append("set ").append(at).append(" to ").append(value).append("; ");
                    }
                }
                case 2 -> {
                    int length = random.nextInt(bytes.length + 1);
                    bytes = Arrays.copyOf(bytes, length);
                    description.append("truncate to ").append(length).append("; ");
                }
                case 3 -> {
                    int count = 1 + random.nextInt(8);
                    byte[] grown = new byte[bytes.length + count];
                    System.arraycopy(bytes, 0, grown, 0, at);
                    for (int k = 0; k < count; k++) {
                        grown[at + k] = interesting(random);
                    }
                    System.arraycopy(bytes, at, grown, at + count, bytes.length - at);
                    bytes = grown;
                    description.append("insert ").append(count).append(" at ").append(at).append("; ");
                }
                default -> {
                    int count = Math.min(1 + random.nextInt(8), bytes.length - at);
                    byte[] shrunk = new byte[bytes.length - count];
                    System.arraycopy(bytes, 0, shrunk, 0, at);
                    System.arraycopy(bytes, at + count, shrunk, at, bytes.length - at - count);
                    bytes = shrunk;
                    description.append("delete ").append(count).append(" at ").append(at).append("; ");
                }
            }
        }
        return bytes;
    }

    /** Mostly characters that keep a JSON or Python header plausible, sometimes any byte. */
    private static byte interesting(Random random) {
        String plausible = "0123456789-,:[]{}()\"' .eE";
        return random.nextBoolean()
                ? (byte) plausible.charAt(random.nextInt(plausible.length()))
                : (byte) random.nextInt(256);
    }
}
