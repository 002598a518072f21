package org.sae4j.tensor;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Seeded fills of fp32 segments, for benchmarks and demos that need reproducible operands. */
public final class RandomFill {

    /** Values per bulk copy: large segments are filled through one bounded heap chunk. */
    private static final int CHUNK = 1 << 16;

    /** Not instantiable: static fills only. */
    private RandomFill() {
    }

    /**
     * Fills {@code segment} with fp32 values uniform in [-1, 1) drawn from {@code random}, in element order, so the
     * same seed gives the same contents whatever the segment's alignment. Allocates one bounded heap chunk (at most
     * 65,536 floats) per call.
     *
     * @param segment the segment to fill, viewed as {@code byteSize() / 4} fp32 elements (a trailing partial element is
     *                left alone); modified
     * @param random  the source of values; advanced by one draw per element
     * @return {@code segment}, for chaining
     */
    public static MemorySegment uniform(MemorySegment segment, SplittableRandom random) {
        long count = segment.byteSize() / Float.BYTES;
        float[] chunk = new float[(int) Math.min(count, CHUNK)];
        for (long done = 0; done < count; done += chunk.length) {
            int length = (int) Math.min(chunk.length, count - done);
            for (int i = 0; i < length; i++) {
                chunk[i] = (float) (random.nextDouble() * 2 - 1);
            }
            MemorySegment.copy(chunk, 0, segment, Layouts.F32, done * Float.BYTES, length);
        }
        return segment;
    }
}
