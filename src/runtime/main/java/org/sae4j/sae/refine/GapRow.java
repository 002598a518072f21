package org.sae4j.sae.refine;

/**
 * One method of an amortisation-gap report, measured over every input row.
 *
 * @param method          {@link RefinementMethod#label()}
 * @param steps           FISTA steps, or the target L0 of a pursuit, or 0 for the encoder alone
 * @param mse             mean over rows of ‖x − x̂‖² in the input space (SAELens's {@code mse}, sae-formats §12.1
 *                        {@code mse_sum})
 * @param fvu             Σ‖x − x̂‖² / Σ‖x − x̄‖² with x̄ the mean of the evaluated rows (conventional FVU, §12.2)
 * @param l0              mean active latents per row (a count)
 * @param l1              mean ‖z‖₁ per row
 * @param objective       mean per row of ½‖x' − b_dec − z·W_dec‖² + λ‖z‖₁ in the normalised space, at the report's λ
 * @param microsPerVector inference wall time per row (encoder plus solver), microseconds
 * @param flopsPerVector  inference FLOPs per row
 */
public record GapRow(String method, int steps, double mse, double fvu, double l0, double l1, double objective,
        double microsPerVector, double flopsPerVector) {
}
