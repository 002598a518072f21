package org.sae4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pins the OpenBLAS peer's bindings against plain loops, so a baseline never measures a wrong call. */
final class OpenBlasTest {

    private static final long SEED = 20240611L;

    @Test
    void shouldMatchNaiveLoopWhenSgemmComputesXTimesWTransposed() {
        int m = 13;
        int n = 37;
        int k = 29;
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom random = new SplittableRandom(SEED);
            MemorySegment a = random(arena, random, (long) m * k);
            MemorySegment b = random(arena, random, (long) n * k);
            MemorySegment c = arena.allocate((long) m * n * Float.BYTES, 64);
            c.fill((byte) 0x7f); // NaN pattern: beta = 0 must overwrite it
            OpenBlas.gemmNT(m, n, k, a, b, c);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = 0;
                    double sumAbs = 0;
                    for (int p = 0; p < k; p++) {
                        double product = (double) get(a, (long) i * k + p) * get(b, (long) j * k + p);
                        expected += product;
                        sumAbs += Math.abs(product);
                    }
                    float actual = get(c, (long) i * n + j);
                    // Any summation order: |error| <= k·eps·Σ|a·b| (times 2 for rounding of the products)
                    double bound = 2.0 * k * Math.ulp(1.0f) * sumAbs + 1e-30;
                    assertEquals(expected, actual, bound, "seed " + SEED + " C[" + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    void shouldMatchNaiveLoopWhenSgemvComputesWTimesX() {
        int m = 41;
        int n = 23;
        try (Arena arena = Arena.ofConfined()) {
            SplittableRandom random = new SplittableRandom(SEED + 1);
            MemorySegment a = random(arena, random, (long) m * n);
            MemorySegment x = random(arena, random, n);
            MemorySegment y = random(arena, random, m);
            float[] yBefore = y.toArray(ValueLayout.JAVA_FLOAT);
            OpenBlas.sgemv(OpenBlas.ROW_MAJOR, OpenBlas.NO_TRANS, m, n, 2f, a, n, x, 0.5f, y);
            for (int i = 0; i < m; i++) {
                double expected = 0.5 * yBefore[i];
                double sumAbs = Math.abs(expected);
                for (int p = 0; p < n; p++) {
                    double product = 2.0 * get(a, (long) i * n + p) * get(x, p);
                    expected += product;
                    sumAbs += Math.abs(product);
                }
                double bound = 2.0 * (n + 2) * Math.ulp(1.0f) * sumAbs + 1e-30;
                assertEquals(expected, get(y, i), bound, "seed " + (SEED + 1) + " y[" + i + "]");
            }
        }
    }

    @Test
    void shouldReportCoreNameAndThreadCountWhenLoaded() {
        String core = OpenBlas.coreName();
        assertFalse(core.isBlank(), "core name");
        int before = OpenBlas.threads();
        try {
            OpenBlas.setThreads(1);
            assertEquals(1, OpenBlas.threads());
        } finally {
            OpenBlas.setThreads(before);
        }
        assertTrue(OpenBlas.describe().contains("core=" + core), OpenBlas.describe());
    }

    private static MemorySegment random(Arena arena, SplittableRandom random, long count) {
        MemorySegment segment = arena.allocate(count * Float.BYTES, 64);
        for (long i = 0; i < count; i++) {
            segment.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (random.nextDouble() * 2 - 1));
        }
        return segment;
    }

    private static float get(MemorySegment segment, long index) {
        return segment.getAtIndex(ValueLayout.JAVA_FLOAT, index);
    }
}
