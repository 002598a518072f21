package org.sae4j.sae.eval;

import java.util.ArrayList;
import java.util.List;
import org.sae4j.sae.SaeDType;
import org.sae4j.sae.SaeWeights;

/**
 * Compares the weights read back from a written SAE with the weights that were written: each value must be exactly
 * what storing it as the written {@link SaeDType} gives (round to nearest even), hence within that type's rounding
 * bound, and bit-identical when the written type holds the value exactly. {@link SaeVerifier}'s round trip reads
 * its verdict from it.
 *
 * <pre>{@code
 * SaeWriter.write(dir, config, weights, SaeDType.BFLOAT16);
 * try (Sae reloaded = SaeLoader.load(dir)) {
 *     List<WeightComparison.TensorDiff> diffs = WeightComparison.compare(weights, reloaded.weights(),
 *             SaeDType.BFLOAT16);
 *     boolean asWritten = WeightComparison.allCorrect(diffs);
 * }
 * }</pre>
 *
 * <p><b>Note:</b> stateless and thread-safe; the weights are not modified.
 */
public final class WeightComparison {

    /**
     * One tensor's result.
     *
     * @param name          engine name of the tensor
     * @param count         number of values
     * @param wrongRounding values that differ from the written type's rounding of the original
     * @param bitExact      whether every value came back bit-identical
     * @param maxAbsError   largest |read − written|
     */
    public record TensorDiff(String name, int count, int wrongRounding, boolean bitExact, double maxAbsError) {
    }

    /** Static comparisons only. */
    private WeightComparison() {
    }

    /**
     * One diff per tensor present in either set of weights, in a fixed order (encoder, encoder_bias, decoder,
     * decoder_bias, threshold, b_mag, r_mag); a tensor present in only one set, or with another length, counts
     * max(1, written length) wrongly rounded values and an infinite error. W_skip is not compared.
     *
     * @param written the weights as given to the writer; not modified
     * @param read    the weights read back from the written files; not modified
     * @param dtype   the type the weights were written as, whose rounding each read value must equal bit for bit
     * @return a new list, one diff per tensor present in either set
     */
    public static List<TensorDiff> compare(SaeWeights written, SaeWeights read, SaeDType dtype) {
        List<TensorDiff> diffs = new ArrayList<>();
        add(diffs, "encoder", written.encoder(), read.encoder(), dtype);
        add(diffs, "encoder_bias", written.encoderBias(), read.encoderBias(), dtype);
        add(diffs, "decoder", written.decoder(), read.decoder(), dtype);
        add(diffs, "decoder_bias", written.decoderBias(), read.decoderBias(), dtype);
        add(diffs, "threshold", written.threshold(), read.threshold(), dtype);
        add(diffs, "b_mag", written.magnitudeBias(), read.magnitudeBias(), dtype);
        add(diffs, "r_mag", written.magnitudeLogScale(), read.magnitudeLogScale(), dtype);
        return diffs;
    }

    /**
     * Whether every tensor was read back exactly as the written type stores it.
     *
     * @param diffs the result of {@link #compare}
     * @return true when no diff counts a wrongly rounded value
     */
    public static boolean allCorrect(List<TensorDiff> diffs) {
        return diffs.stream().allMatch(d -> d.wrongRounding() == 0);
    }

    /**
     * Whether every tensor was read back bit-identical to what was written.
     *
     * @param diffs the result of {@link #compare}
     * @return true when every diff is bit-exact
     */
    public static boolean allBitExact(List<TensorDiff> diffs) {
        return diffs.stream().allMatch(TensorDiff::bitExact);
    }

    /**
     * The largest |read − written| over all tensors.
     *
     * @param diffs the result of {@link #compare}
     * @return the largest error; 0 for an empty list, infinite when a tensor is missing or resized, NaN when a
     *         value is NaN on one side
     */
    public static double maxAbsError(List<TensorDiff> diffs) {
        return diffs.stream().mapToDouble(TensorDiff::maxAbsError).max().orElse(0);
    }

    /**
     * Compares one tensor and appends its diff; nothing when the tensor is absent from both sets.
     *
     * @param diffs   receives the diff; modified
     * @param name    the tensor's engine name
     * @param written the values written, or null when absent
     * @param read    the values read back, or null when absent
     * @param dtype   the written type
     */
    private static void add(List<TensorDiff> diffs, String name, float[] written, float[] read, SaeDType dtype) {
        if (written == null && read == null) {
            return;
        }
        if (written == null || read == null || written.length != read.length) {
            diffs.add(new TensorDiff(name, written == null ? 0 : written.length,
                    Math.max(written == null ? 0 : written.length, 1), false, Double.POSITIVE_INFINITY));
            return;
        }
        int wrong = 0;
        boolean exact = true;
        double maxError = 0;
        for (int i = 0; i < written.length; i++) {
            float expected = dtype.round(written[i]);
            if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(read[i])) {
                wrong++;
            }
            if (Float.floatToRawIntBits(written[i]) != Float.floatToRawIntBits(read[i])) {
                exact = false;
            }
            maxError = Math.max(maxError, Math.abs((double) read[i] - written[i]));
        }
        diffs.add(new TensorDiff(name, written.length, wrong, exact, maxError));
    }
}
