package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.io.ActivationFile;
import org.sae4j.io.NonFiniteInputException;
import org.sae4j.io.NonFinitePolicy;
import org.sae4j.io.NpyWriter;
import org.sae4j.sae.Sae;
import org.sae4j.sae.SaeArchitecture;
import org.sae4j.sae.SaeConfig;
import org.sae4j.tensor.TensorArena;

/**
 * {@link SaeEvaluator} refuses non-finite inputs and targets by default, naming the file and the row counted from
 * the file's start; skipping gives exactly the metrics of the file without those rows, zeroing those of the file
 * with zero rows there.
 */
final class SaeEvaluatorNonFiniteTest {

    private static final int D_IN = 12;
    private static final int D_SAE = 30;
    private static final int ROWS = 150;
    /** Larger than ROWS: one batch, so that the runs compared add their rows in the same groupings. */
    private static final EvalOptions ONE_BATCH = new EvalOptions(256, 0.5);

    @TempDir
    Path dir;

    private StandardSaeReference reference;
    private float[] x;

    @BeforeEach
    void makeInputs() {
        reference = new StandardSaeReference(D_IN, D_SAE, 21);
        x = StandardSaeReference.gaussian(22, ROWS * D_IN, 1, 0.4);
    }

    private Path write(String name, float[] values) throws IOException {
        Path path = dir.resolve(name);
        NpyWriter.writeFloats(path, new long[] {values.length / D_IN, D_IN}, values);
        return path;
    }

    private EvalResult evaluate(Path input, Path target, EvalOptions options) throws IOException {
        try (Sae sae = Sae.of(SaeConfig.of(SaeArchitecture.STANDARD, D_IN, D_SAE), reference.weights());
                TensorArena arena = new TensorArena("test")) {
            ActivationFile file = ActivationFile.open(input, null, arena);
            ActivationFile compared = target == null ? null : ActivationFile.open(target, null, arena);
            return SaeEvaluator.evaluate(sae, file, compared, options, done -> { });
        }
    }

    private static float[] withoutRows(float[] values, int... rows) {
        float[] kept = new float[values.length - rows.length * D_IN];
        int write = 0;
        for (int r = 0; r < values.length / D_IN; r++) {
            if (Arrays.binarySearch(rows, r) < 0) {
                System.arraycopy(values, r * D_IN, kept, write, D_IN);
                write += D_IN;
            }
        }
        return kept;
    }

    private static void assertSameMetrics(EvalResult expected, EvalResult actual) {
        assertEquals(expected.tokens(), actual.tokens());
        assertEquals(expected.mseSum(), actual.mseSum());
        assertEquals(expected.fvu(), actual.fvu());
        assertEquals(expected.legacyExplainedVariance(), actual.legacyExplainedVariance());
        assertEquals(expected.l0(), actual.l0());
        assertEquals(expected.l1(), actual.l1());
        assertEquals(expected.cosineSimilarity(), actual.cosineSimilarity());
        assertEquals(expected.normRatio(), actual.normRatio());
        assertEquals(expected.density().dead(), actual.density().dead());
        assertEquals(expected.density().dense(), actual.density().dense());
    }

    @Test
    void shouldNameTheFileAndRowWhenRefusingByDefault() throws IOException {
        x[130 * D_IN + 9] = Float.NEGATIVE_INFINITY;
        Path input = write("x.npy", x);
        // batches of 64: row 130 is row 2 of the third batch, reported as row 130 of the file
        NonFiniteInputException e = assertThrowsExactly(NonFiniteInputException.class,
                () -> evaluate(input, null, new EvalOptions(64, 0.5)));
        assertEquals(input + " row 130, column 9: -Infinity (inputs must be finite)", e.getMessage());
    }

    @Test
    void shouldNameTheTargetWhenOnlyItHoldsANaN() throws IOException {
        float[] y = x.clone();
        y[7 * D_IN] = Float.NaN;
        Path input = write("x.npy", x);
        Path target = write("y.npy", y);
        assertEquals(target + " row 7, column 0: NaN (inputs must be finite)",
                assertThrowsExactly(NonFiniteInputException.class,
                        () -> evaluate(input, target, ONE_BATCH)).getMessage());
    }

    @Test
    void shouldMatchTheFileWithoutThoseRowsWhenSkipping() throws IOException {
        float[] clean = x.clone();
        x[0] = Float.NaN;
        x[64 * D_IN + 3] = Float.POSITIVE_INFINITY;
        x[149 * D_IN + 11] = Float.NEGATIVE_INFINITY;
        EvalResult skipped = evaluate(write("x.npy", x), null, ONE_BATCH.withNonFinite(NonFinitePolicy.SKIP_ROWS));
        EvalResult expected = evaluate(write("kept.npy", withoutRows(clean, 0, 64, 149)), null, ONE_BATCH);
        assertEquals(ROWS - 3, skipped.tokens());
        assertEquals(3, skipped.skippedRows());
        assertEquals(0, skipped.zeroedRows());
        assertEquals(3L, skipped.toMap().get("skipped_rows"));
        assertSameMetrics(expected, skipped);
    }

    @Test
    void shouldLeaveAPairOutWhenTheInputOrTheTargetRowIsNotFinite() throws IOException {
        float[] y = x.clone();
        float[] clean = x.clone();
        x[10 * D_IN + 1] = Float.NaN;
        y[20 * D_IN + 2] = Float.POSITIVE_INFINITY;
        EvalResult skipped = evaluate(write("x.npy", x), write("y.npy", y),
                ONE_BATCH.withNonFinite(NonFinitePolicy.SKIP_ROWS));
        Path kept = write("kept.npy", withoutRows(clean, 10, 20));
        EvalResult expected = evaluate(kept, kept, ONE_BATCH);
        assertEquals(2, skipped.skippedRows());
        assertSameMetrics(expected, skipped);
    }

    @Test
    void shouldMatchTheFileWithZeroRowsWhenZeroing() throws IOException {
        float[] zeroed = x.clone();
        x[5 * D_IN + 5] = Float.NaN;
        x[100 * D_IN] = Float.NEGATIVE_INFINITY;
        Arrays.fill(zeroed, 5 * D_IN, 6 * D_IN, 0f);
        Arrays.fill(zeroed, 100 * D_IN, 101 * D_IN, 0f);
        EvalResult result = evaluate(write("x.npy", x), null, ONE_BATCH.withNonFinite(NonFinitePolicy.ZERO_ROWS));
        EvalResult expected = evaluate(write("zeroed.npy", zeroed), null, ONE_BATCH);
        assertEquals(ROWS, result.tokens());
        assertEquals(2, result.zeroedRows());
        assertEquals(0, result.skippedRows());
        assertSameMetrics(expected, result);
    }

    @Test
    void shouldLeaveFiniteInputUnaffectedWhateverThePolicy() throws IOException {
        Path input = write("x.npy", x);
        EvalResult refused = evaluate(input, null, ONE_BATCH);
        for (NonFinitePolicy policy : NonFinitePolicy.values()) {
            EvalResult result = evaluate(input, null, ONE_BATCH.withNonFinite(policy));
            assertSameMetrics(refused, result);
            assertEquals(0, result.skippedRows() + result.zeroedRows(), policy.name());
        }
    }

    @Test
    void shouldRefuseWhenEveryRowIsSkipped() throws IOException {
        float[] bad = new float[2 * D_IN];
        bad[0] = Float.NaN;
        bad[D_IN + 4] = Float.NaN;
        Path input = write("bad.npy", bad);
        assertEquals(input + ": every one of its 2 rows holds a NaN or an infinity; nothing is left to evaluate",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> evaluate(input, null, ONE_BATCH.withNonFinite(NonFinitePolicy.SKIP_ROWS)))
                        .getMessage());
    }
}
