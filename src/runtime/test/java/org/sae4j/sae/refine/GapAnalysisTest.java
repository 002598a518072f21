package org.sae4j.sae.refine;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sae4j.sae.Sae;

class GapAnalysisTest {

    private static final int D_IN = 32;
    private static final int D_SAE = 64;
    private static final int ROWS = 96;

    @Test
    void shouldReportTheEncoderAtBudgetZeroWithTheConventionalFvu() {
        try (Sae sae = RefineFixtures.tiedSae(71, D_IN, D_SAE); Arena arena = Arena.ofConfined()) {
            float[] x = RefineFixtures.inputs(RefineFixtures.sparseCodes(72, ROWS, D_SAE, 3, 0.5, 1.5), sae, 0.01, 73);
            GapReport report = GapAnalysis.run(sae, RefineFixtures.offHeap(arena, x), ROWS,
                    GapOptions.defaults().withBudgets(0, 5).withBatch(40).withPursuits(false), done -> { });

            float[] forward = sae.forward(x);
            double[] mean = new double[D_IN];
            for (int i = 0; i < x.length; i++) {
                mean[i % D_IN] += x[i] / (double) ROWS;
            }
            double error = 0;
            double spread = 0;
            for (int i = 0; i < x.length; i++) {
                error += ((double) x[i] - forward[i]) * ((double) x[i] - forward[i]);
                spread += (x[i] - mean[i % D_IN]) * (x[i] - mean[i % D_IN]);
            }
            // the refiner decodes densely and the forward pass sparsely: both within a few ulps per element
            assertEquals(error / spread, report.amortised().fvu(), 1e-4 * error / spread);
            assertEquals(error / ROWS, report.amortised().mse(), 1e-4 * error / ROWS);
            assertEquals(report.amortised().fvu(), report.fista().getFirst().fvu());
            assertEquals(0, report.fista().getFirst().steps());
            assertEquals(ROWS, report.rows());
        }
    }

    @Test
    void shouldCloseTheGapAtTheEncodersSparsityOnACompressedProblem() {
        try (Sae sae = RefineFixtures.tiedSae(81, D_IN, D_SAE); Arena arena = Arena.ofConfined()) {
            float[] x = RefineFixtures.inputs(RefineFixtures.sparseCodes(82, ROWS, D_SAE, 3, 0.5, 1.5), sae, 0.01, 83);
            MemorySegment input = RefineFixtures.offHeap(arena, x);
            AtomicLong done = new AtomicLong();
            GapOptions options = GapOptions.defaults().withBudgets(0, 10, 100).withBatch(64);
            GapReport report = GapAnalysis.run(sae, input, ROWS, options, done::addAndGet);

            assertEquals(GapAnalysis.work(ROWS, options), done.get());
            LambdaCalibration calibration = report.calibration();
            assertTrue(Math.abs(calibration.achievedL0() - calibration.targetL0())
                            <= LambdaCalibration.DEFAULT_TOLERANCE * calibration.targetL0()
                            || calibration.probes() == LambdaCalibration.DEFAULT_MAX_PROBES,
                    "calibration stopped early away from the target: " + calibration);
            assertEquals(report.amortised().l0(), calibration.targetL0(), 1e-12);
            List<GapRow> fista = report.fista();
            GapRow last = fista.getLast();
            assertTrue(last.objective() < fista.getFirst().objective(), "objective must fall: " + fista);
            assertTrue(report.bestFista().fvu() < report.amortised().fvu(), "no gap closed: " + fista);
            assertEquals(2, report.pursuits().size());
            for (GapRow pursuit : report.pursuits()) {
                assertEquals(Math.round(report.amortised().l0()), pursuit.steps());
                assertTrue(pursuit.l0() <= pursuit.steps(), pursuit.toString());
            }
        }
    }

    @Test
    void shouldUseAGivenLambdaWithoutCalibrating() {
        try (Sae sae = RefineFixtures.tiedSae(91, D_IN, D_SAE); Arena arena = Arena.ofConfined()) {
            float[] x = RefineFixtures.inputs(RefineFixtures.sparseCodes(92, 20, D_SAE, 3, 0.5, 1.5), sae, 0.01, 93);
            GapReport report = GapAnalysis.run(sae, RefineFixtures.offHeap(arena, x), 20,
                    GapOptions.defaults().withBudgets(0, 3).withLambda(0.07f).withPursuits(false), done -> { });
            assertEquals(null, report.calibration());
            assertEquals(0.07f, (float) report.lambda());
        }
    }

    @Test
    void shouldRejectBadOptionsAndInputs() {
        assertThrows(IllegalArgumentException.class, () -> GapOptions.defaults().withBudgets(0, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> GapOptions.defaults().withBudgets());
        assertThrows(IllegalArgumentException.class, () -> GapOptions.defaults().withBudgets(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> GapOptions.defaults().withLambda(-1f));
        assertThrows(IllegalArgumentException.class, () -> new GapOptions(new int[] {0}, Float.NaN, 8, 9, false));
        try (Sae sae = RefineFixtures.tiedSae(95, D_IN, D_SAE); Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(10L * D_IN * Float.BYTES);
            assertThrows(IllegalArgumentException.class,
                    () -> GapAnalysis.run(sae, x, 11, GapOptions.defaults(), done -> { }));
            assertThrows(IllegalArgumentException.class,
                    () -> GapAnalysis.run(sae, x, 0, GapOptions.defaults(), done -> { }));
        }
    }
}
