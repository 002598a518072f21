package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.TensorArena;
import java.lang.foreign.MemorySegment;

/**
 * {@link Sae#encodeOne} and {@link WatchList#encodeOne} allocate nothing once warm. Before counting, the same kernels
 * the call uses are run bare: while the JIT has not yet compiled a SIMD kernel, the Vector API's fallback allocates,
 * and that says nothing about the engine, so the test is skipped rather than passed.
 */
final class SaeWorkspaceAllocationTest {

    private static final int D_IN = 64;
    private static final int D_SAE = 256;
    private static final int CALLS = 1_000;
    private static final int WARMUP_ROUNDS = 30;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SaeArchitecture.class, names = {"STANDARD", "JUMPRELU", "TOPK"})
    void shouldAllocateNothingWhenEncodingOneRowRepeatedly(SaeArchitecture architecture) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        SaeConfig config = SaeConfig.of(architecture, D_IN, D_SAE);
        if (architecture == SaeArchitecture.TOPK) {
            config = config.withK(16);
        }
        float[] x = SaeFixtures.gaussian(61, D_IN, 1.0, 0.1);
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
                }
                return threads.getCurrentThreadAllocatedBytes() - before;
            };
            LongSupplier kernels = () -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < CALLS; i++) {
                    Kernels.axpy(D_IN, -1f, sae.decoderBias(), 0, input, 0);
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
            Assumptions.assumeTrue(kernelBytes == 0, "the bare " + Kernels.provider().name() + " kernels still "
                    + "allocate " + kernelBytes + " bytes per " + CALLS + " calls: not compiled yet");
            assertEquals(0, engineBytes, architecture.saeLensName() + ": bytes allocated over " + CALLS
                    + " encodeOne calls after warm-up");
        }
    }
}
