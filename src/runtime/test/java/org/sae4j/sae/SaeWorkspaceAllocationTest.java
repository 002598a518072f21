package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.TensorArena;

/**
 * {@link Sae#encodeOne} and {@link Sae#forwardOne} allocate nothing once warm, whatever the architecture and input
 * normalisation, their check that the input is finite included. Before counting, the same kernels
 * the call uses are run bare: while the JIT has not yet compiled a SIMD kernel, the Vector API's fallback allocates,
 * and that says nothing about the engine, so the test is skipped rather than passed.
 */
final class SaeWorkspaceAllocationTest {

    private static final int D_IN = 64;
    private static final int D_SAE = 256;
    private static final int CALLS = 1_000;
    private static final int WARMUP_ROUNDS = 30;

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAllocateNothingWhenEncodingOneRowRepeatedly(String name, SaeConfig config) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        float[] x = SaeFixtures.gaussian(61, D_IN, 1.0, 0.1);
        float[] out = new float[config.dOut()];
        int[] indices = new int[D_SAE];
        float[] values = new float[D_SAE];
        try (Sae sae = Sae.of(config, SaeFixtures.weights(config, 60));
             SaeWorkspace ws = sae.newWorkspace(1);
             TensorArena arena = new TensorArena("allocation-test")) {
            MemorySegment scratch = arena.allocateFloats(D_SAE);
            MemorySegment input = SaeWorkspaceTest.segment(arena, x);
            LongSupplier engine = () -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < CALLS; i++) {
                    sae.encodeOne(x, indices, values, ws);
                    sae.forwardOne(x, out, ws);
                }
                return threads.getCurrentThreadAllocatedBytes() - before;
            };
            LongSupplier kernels = () -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < CALLS; i++) {
                    Kernels.sumSquares(D_IN, input, 0);
                    Kernels.axpy(Math.min(D_IN, config.dOut()), -1f, sae.decoderBias(), 0, input, 0);
                    Kernels.gemv(D_SAE, D_IN, 1f, sae.encoder(), 0, D_IN, input, 0, 0f, scratch, 0);
                    Kernels.biasRelu(D_SAE, scratch, 0, sae.encoderBias(), 0, scratch, 0);
                    Kernels.biasJumpRelu(D_SAE, scratch, 0, sae.encoderBias(), 0, sae.encoderBias(), 0, scratch, 0);
                    Kernels.topK(D_SAE, scratch, 0, 16, indices, values, 0);
                }
                return threads.getCurrentThreadAllocatedBytes() - before;
            };
            long engineBytes = 0;
            long kernelBytes = 0;
            for (int round = 0; round < WARMUP_ROUNDS; round++) {
                kernelBytes = kernels.getAsLong();
                engineBytes = engine.getAsLong();
                if (engineBytes == 0 && kernelBytes == 0) {
                    break;
                }
            }
            Assumptions.assumeTrue(kernelBytes == 0, "the bare " + Kernels.providerName() + " kernels still "
                    + "allocate " + kernelBytes + " bytes per " + CALLS + " calls: not compiled yet");
            assertEquals(0, engineBytes, name + ": bytes allocated over " + CALLS
                    + " encodeOne and forwardOne calls after warm-up");
        }
    }
}
