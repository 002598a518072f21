package org.sae4j.kernel;

import static org.sae4j.tensor.Layouts.F32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.testing.ProviderCase;
import org.sae4j.testing.Providers;
import org.sae4j.testing.TestData;
import org.sae4j.testing.Tolerance;

/** The Adam step of every provider, bit-exact against the scalar oracle over several consecutive steps. */
@Tag("kernel")
final class AdamConformanceTest {

    private static final long[] SEEDS = {5L, 20240601L};

    private static final int STEPS = 3;

    static Stream<Arguments> cases() {
        return TestData.vectorCases(SEEDS);
    }

    @ParameterizedTest(name = "{0} n={1} off={2} seed={3}")
    @MethodSource("cases")
    void shouldMatchScalarBitExactWhenAdamStepsRepeat(ProviderCase pc, int n, int offset, long seed) {
        float[] p = TestData.gaussian(seed, n);
        float[] m = TestData.gaussian(seed + 1, n);
        float[] v = TestData.gaussian(seed + 2, n);
        for (int i = 0; i < n; i++) {
            m[i] *= 0.1f;
            v[i] = v[i] * v[i] * 0.01f;
        }
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float eps = 1e-8f;
        float lr = 1e-3f;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pe = TestData.floats(arena, p, offset);
            MemorySegment me = TestData.floats(arena, m, 1);
            MemorySegment ve = TestData.floats(arena, v, 3);
            MemorySegment pa = TestData.floats(arena, p, offset);
            MemorySegment ma = TestData.floats(arena, m, 1);
            MemorySegment va = TestData.floats(arena, v, 3);
            for (int t = 1; t <= STEPS; t++) {
                // Corner gradients (±0, NaN, ±Inf, subnormals, MAX) in the first step only, so that later steps
                // still see mostly finite state.
                float[] g = t == 1 ? TestData.withCorners(seed + 10 * t, n) : TestData.gaussian(seed + 10 * t, n);
                MemorySegment grad = TestData.floats(arena, g, 0);
                float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
                float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
                Providers.scalar().adam(n, pe, offset, grad, 0, me, 1, ve, 3, beta1, beta2, eps, stepSize, bc2Sqrt);
                pc.provider().adam(n, pa, offset, grad, 0, ma, 1, va, 3, beta1, beta2, eps, stepSize, bc2Sqrt);
                String context = pc.label() + " n=" + n + " off=" + offset + " seed=" + seed + " step " + t;
                for (int i = 0; i < n; i++) {
                    String at = context + " index " + i + " g=" + g[i];
                    Tolerance.assertBitExact(me.getAtIndex(F32, 1 + i), ma.getAtIndex(F32, 1 + i), at + " m");
                    Tolerance.assertBitExact(ve.getAtIndex(F32, 3 + i), va.getAtIndex(F32, 3 + i), at + " v");
                    Tolerance.assertBitExact(pe.getAtIndex(F32, offset + i), pa.getAtIndex(F32, offset + i),
                            at + " p");
                }
            }
        }
    }
}
