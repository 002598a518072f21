package org.sae4j.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sae4j.kernel.KernelContext;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * Two models used at once from two threads, each in its own kernel context: each keeps its own thread budget and
 * gives codes bit-identical to running alone. Shapes are large enough that every encode splits over its context's
 * threads.
 */
final class SaeConcurrencyTest {

    private static final int D_IN = 96;
    private static final int D_SAE = 6144;
    private static final int BATCH = 160;
    private static final int ROUNDS = 8;

    @Tag("steady-state")
    @Test
    void shouldKeepEachModelsThreadBudgetAndResultsWhenTwoModelsRunAtOnce() throws Exception {
        SaeConfig standard = SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE);
        SaeConfig jumpRelu = SaeConfig.of(SaeArchitecture.JUMPRELU, D_IN, D_SAE);
        try (Sae first = Sae.of(standard, SaeFixtures.weights(standard, 71));
             Sae second = Sae.of(jumpRelu, SaeFixtures.weights(jumpRelu, 72));
             KernelContext two = KernelContext.create("first-model", 2);
             KernelContext three = KernelContext.create("second-model", 3);
             TensorArena arena = new TensorArena("concurrency-inputs")) {
            MemorySegment x = arena.allocateFloats((long) BATCH * D_IN);
            MemorySegment.copy(SaeFixtures.gaussian(73, BATCH * D_IN, 1.0, 0.0), 0, x, Layouts.F32, 0, BATCH * D_IN);
            Worker a = new Worker(first, two, x, arena);
            Worker b = new Worker(second, three, x, arena);
            float[] aloneA = a.encodeOnce();
            float[] aloneB = b.encodeOnce();

            CyclicBarrier start = new CyclicBarrier(2);
            try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
                Future<float[][]> runA = callers.submit(() -> a.encodeRounds(start));
                Future<float[][]> runB = callers.submit(() -> b.encodeRounds(start));
                float[][] together = runA.get();
                float[][] togetherB = runB.get();
                for (int round = 0; round < ROUNDS; round++) {
                    assertArrayEquals(aloneA, together[round], "standard model, round " + round);
                    assertArrayEquals(aloneB, togetherB[round], "jumprelu model, round " + round);
                }
            }
            assertEquals(2, a.threadsSeen, "the first model's budget");
            assertEquals(3, b.threadsSeen, "the second model's budget");
        }
    }

    /** One caller: a model, its context, its workspace and output. */
    private static final class Worker {
        private final Sae sae;
        private final KernelContext context;
        private final MemorySegment x;
        private final MemorySegment z;
        private final SaeWorkspace workspace;
        private volatile int threadsSeen;

        Worker(Sae sae, KernelContext context, MemorySegment x, TensorArena arena) {
            this.sae = sae;
            this.context = context;
            this.x = x;
            this.z = arena.allocateFloats((long) BATCH * D_SAE);
            this.workspace = sae.newWorkspace(BATCH);
        }

        float[] encodeOnce() {
            return context.call(() -> {
                threadsSeen = Kernels.threads();
                sae.encode(DenseMatrix.f32(x, BATCH, sae.dIn()), DenseMatrix.f32(z, BATCH, D_SAE), workspace);
                return z.toArray(Layouts.F32);
            });
        }

        float[][] encodeRounds(CyclicBarrier start) throws Exception {
            start.await();
            float[][] results = new float[ROUNDS][];
            for (int round = 0; round < ROUNDS; round++) {
                results[round] = encodeOnce();
            }
            workspace.close();
            return results;
        }
    }
}
