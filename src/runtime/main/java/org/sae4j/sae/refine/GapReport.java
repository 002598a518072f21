package org.sae4j.sae.refine;

import java.util.List;

/**
 * What iterative inference buys on one SAE and one set of activations: the encoder alone, then FISTA on the SAE's
 * own decoder at each step budget, then greedy pursuits at the encoder's L0.
 *
 * @param sae         a description of the SAE ({@code Sae.toString()} and its hook, when known)
 * @param rows        input rows evaluated
 * @param dIn         input width
 * @param dSae        latents
 * @param lambda      FISTA's L1 weight
 * @param calibration how λ was matched to the encoder's L0; null when it was given
 * @param amortised   the encoder alone (FISTA budget 0)
 * @param fista       one row per budget, ascending (budget 0 repeats the encoder's numbers at λ)
 * @param pursuits    matching pursuit and OMP rows; empty when not run
 * @param skippedRows input rows left out before the analysis because they held a NaN or an infinity (not counted
 *                    in {@code rows})
 * @param zeroedRows  input rows replaced by zeros before the analysis for the same reason (counted in {@code rows})
 */
public record GapReport(String sae, int rows, int dIn, int dSae, double lambda, LambdaCalibration calibration,
        GapRow amortised, List<GapRow> fista, List<GapRow> pursuits, long skippedRows, long zeroedRows) {

    /** Copies the lists. */
    public GapReport {
        fista = List.copyOf(fista);
        pursuits = List.copyOf(pursuits);
        if (skippedRows < 0 || zeroedRows < 0) {
            throw new IllegalArgumentException("negative row counts: " + skippedRows + " skipped, " + zeroedRows
                    + " zeroed");
        }
    }

    /**
     * A report of finite input: no row skipped or zeroed.
     *
     * @param sae         a description of the SAE ({@code Sae.toString()} and its hook, when known)
     * @param rows        input rows evaluated
     * @param dIn         input width
     * @param dSae        latents
     * @param lambda      FISTA's L1 weight
     * @param calibration how λ was matched to the encoder's L0; null when it was given
     * @param amortised   the encoder alone (FISTA budget 0)
     * @param fista       one row per budget, ascending; copied
     * @param pursuits    matching pursuit and OMP rows, empty when not run; copied
     */
    public GapReport(String sae, int rows, int dIn, int dSae, double lambda, LambdaCalibration calibration,
            GapRow amortised, List<GapRow> fista, List<GapRow> pursuits) {
        this(sae, rows, dIn, dSae, lambda, calibration, amortised, fista, pursuits, 0, 0);
    }

    /**
     * This report, noting the rows skipped or zeroed before the analysis saw the input; {@link #rows()} is kept as
     * it is.
     *
     * @param skipped input rows left out for holding a NaN or an infinity, ≥ 0
     * @param zeroed  input rows replaced by zeros for the same reason, ≥ 0
     * @return a new report with those counts, everything else unchanged
     * @throws IllegalArgumentException if a count is negative
     */
    public GapReport withNonFiniteRows(long skipped, long zeroed) {
        return new GapReport(sae, rows, dIn, dSae, lambda, calibration, amortised, fista, pursuits, skipped, zeroed);
    }

    /**
     * The FISTA row with the lowest FVU (the first one when FVU is NaN everywhere, as for constant data).
     *
     * @return one of {@link #fista()}
     */
    public GapRow bestFista() {
        GapRow best = fista.getFirst();
        for (GapRow row : fista) {
            if (row.fvu() < best.fvu()) {
                best = row;
            }
        }
        return best;
    }

    /**
     * The fewest FISTA steps whose FVU is at most half the encoder's, or −1 when no budget gets there.
     *
     * @return a budget of {@link #fista()}, or −1
     */
    public int stepsToHalveFvu() {
        for (GapRow row : fista) {
            if (row.fvu() <= amortised.fvu() / 2) {
                return row.steps();
            }
        }
        return -1;
    }
}
