package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.KernelConfig;
import org.sae4j.kernel.Kernels;
import org.sae4j.testing.SteadyState;

/**
 * {@link Sae#encodeOne} and {@link Sae#forwardOne} allocate nothing once warm, whatever the architecture and input
 * normalisation, their check that the input is finite included, with the scalar and with the SIMD kernels
 * ({@link SteadyState} waits for C2).
 */
final class SaeWorkspaceAllocationTest {

    private static final int D_IN = 64;
    private static final int D_SAE = 256;
    private static final int CALLS = 1_000;

    static Stream<Arguments> cases() {
        SaeConfig topk = SaeConfig.of(SaeArchitecture.TOPK, D_IN, D_SAE).withK(16);
        SaeConfig groupmax = SaeConfig.of(SaeArchitecture.GROUPMAX, D_IN, D_SAE).withK(16);
        SaeConfig skip = SaeConfig.of(SaeArchitecture.SKIP_TRANSCODER, D_IN, D_SAE).withDOut(D_IN / 2);
        return Stream.of(
                Arguments.of("standard", SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE)),
                Arguments.of("jumprelu", SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE)),
                Arguments.of("topk", topk),
                Arguments.of("groupmax", groupmax),
                Arguments.of("topk layer_norm", topk.withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("standard layer_norm", SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE)
                        .withNormalisation(Normalisation.LAYER_NORM)),
                Arguments.of("skip_transcoder constant_norm_rescale",
                        skip.withNormalisation(Normalisation.CONSTANT_NORM_RESCALE)));
    }

    @Tag("steady-state")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAllocateNothingWhenEncodingOneRowRepeatedly(String name, SaeConfig config) {
        float[] x = SaeFixtures.gaussian(61, D_IN, 1.0, 0.1);
        float[] out = new float[config.dOut()];
        int[] indices = new int[D_SAE];
        float[] values = new float[D_SAE];
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 60));
             SaeWorkspace ws = sae.newWorkspace(1)) {
            long bytes = SteadyState.onceWarm(() -> SteadyState.allocatedBytes(() -> {
                for (int i = 0; i < CALLS; i++) {
                    sae.encodeOne(x, indices, values, ws);
                    sae.forwardOne(x, out, ws);
                }
            }));
            assertEquals(0, bytes, name + ": bytes allocated over " + CALLS + " encodeOne and forwardOne calls after "
                    + "warm-up (" + Kernels.describe() + ", JIT options missing: " + KernelConfig.missingJitOptions()
                    + ")");
        }
    }
}
