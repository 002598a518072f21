package org.sae4j.sae.refine;

import java.util.Arrays;

/**
 * Settings of an amortisation-gap run ({@link GapAnalysis}).
 *
 * @param budgets         FISTA step budgets, distinct, ascending, ≥ 0 (0 is the encoder alone)
 * @param lambda          FISTA's L1 weight; NaN to calibrate it so that refined codes keep the encoder's L0
 *                        ({@link LambdaCalibration}) at the largest budget
 * @param batch           rows per refinement call, ≥ 1
 * @param calibrationRows rows used to calibrate λ (the first ones), in [1, batch]
 * @param pursuits        also run matching pursuit and orthogonal matching pursuit at the encoder's L0
 */
public record GapOptions(int[] budgets, float lambda, int batch, int calibrationRows, boolean pursuits) {

    /** The budgets of the report: 0, 1, 2, 5, 10, 25, 50 and 100 steps. */
    public static final int[] DEFAULT_BUDGETS = {0, 1, 2, 5, 10, 25, 50, 100};

    /** Validates the settings and copies the budgets. */
    public GapOptions {
        budgets = budgets.clone();
        if (budgets.length == 0) {
            throw new IllegalArgumentException("at least one budget is needed");
        }
        for (int i = 0; i < budgets.length; i++) {
            if (budgets[i] < 0 || (i > 0 && budgets[i] <= budgets[i - 1])) {
                throw new IllegalArgumentException("budgets must be distinct, ascending and >= 0, got "
                        + Arrays.toString(budgets));
            }
        }
        if (!Float.isNaN(lambda) && (Float.isInfinite(lambda) || lambda < 0f)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0 (or NaN to calibrate), got " + lambda);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (calibrationRows < 1 || calibrationRows > batch) {
            throw new IllegalArgumentException("calibration rows must be in [1, batch = " + batch + "], got "
                    + calibrationRows);
        }
    }

    /**
     * Default budgets, calibrated λ, batches of 256 rows, 128 calibration rows, pursuits included.
     *
     * @return the defaults
     */
    public static GapOptions defaults() {
        return new GapOptions(DEFAULT_BUDGETS, Float.NaN, 256, 128, true);
    }

    /**
     * These options with another fixed λ (NaN calibrates).
     *
     * @param newLambda FISTA's L1 weight, finite and ≥ 0, or NaN
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public GapOptions withLambda(float newLambda) {
        return new GapOptions(budgets, newLambda, batch, calibrationRows, pursuits);
    }

    /**
     * These options with other budgets.
     *
     * @param newBudgets FISTA step budgets, distinct, ascending, ≥ 0; copied
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public GapOptions withBudgets(int... newBudgets) {
        return new GapOptions(newBudgets, lambda, batch, calibrationRows, pursuits);
    }

    /**
     * These options with another batch size; the calibration rows shrink to fit.
     *
     * @param newBatch rows per refinement call, ≥ 1
     * @return a new record; this one is unchanged
     * @throws IllegalArgumentException as the canonical constructor
     */
    public GapOptions withBatch(int newBatch) {
        return new GapOptions(budgets, lambda, newBatch, Math.min(calibrationRows, Math.max(newBatch, 1)), pursuits);
    }

    /**
     * These options with or without the pursuits.
     *
     * @param run whether matching pursuit and OMP run
     * @return a new record; this one is unchanged
     */
    public GapOptions withPursuits(boolean run) {
        return new GapOptions(budgets, lambda, batch, calibrationRows, run);
    }

    /**
     * The budgets (a copy).
     *
     * @return a new array, ascending
     */
    @Override
    public int[] budgets() {
        return budgets.clone();
    }

    /**
     * The largest budget.
     *
     * @return the last budget
     */
    public int maxBudget() {
        return budgets[budgets.length - 1];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GapOptions o && Arrays.equals(budgets, o.budgets)
                && Float.compare(lambda, o.lambda) == 0 && batch == o.batch
                && calibrationRows == o.calibrationRows && pursuits == o.pursuits;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(budgets) * 31 + Float.hashCode(lambda) + 7 * batch + 13 * calibrationRows
                + (pursuits ? 1 : 0);
    }

    @Override
    public String toString() {
        return "GapOptions[budgets=" + Arrays.toString(budgets) + ", lambda=" + lambda + ", batch=" + batch
                + ", calibrationRows=" + calibrationRows + ", pursuits=" + pursuits + "]";
    }
}
