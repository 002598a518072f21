package org.sae4j.lab.experiment;

import java.util.Arrays;

/**
 * The axes of the scaling grid (paper-spec §10.4), each sorted ascending.
 *
 * @param latents      N values
 * @param measurements M values
 * @param active       K values
 */
public record ScalingAxes(int[] latents, int[] measurements, int[] active) {

    /**
     * @throws IllegalArgumentException when an axis is empty, or has a value below 1 or a repeated value
     */
    public ScalingAxes {
        latents = checked("N", latents);
        measurements = checked("M", measurements);
        active = checked("K", active);
    }

    /** The reference grid: N ∈ {16, 32, 64, 128}, M ∈ {8, 16, 32}, K ∈ {3, 9, 15}. */
    public static ScalingAxes reference() {
        return new ScalingAxes(new int[] {16, 32, 64, 128}, new int[] {8, 16, 32}, new int[] {3, 9, 15});
    }

    /** The given axes, each null one replaced by the reference's. */
    public static ScalingAxes orReference(int[] latents, int[] measurements, int[] active) {
        ScalingAxes reference = reference();
        return new ScalingAxes(latents != null ? latents : reference.latents,
                measurements != null ? measurements : reference.measurements,
                active != null ? active : reference.active);
    }

    @Override
    public int[] latents() {
        return latents.clone();
    }

    @Override
    public int[] measurements() {
        return measurements.clone();
    }

    @Override
    public int[] active() {
        return active.clone();
    }

    private static int[] checked(String name, int[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("the scaling grid needs at least one " + name + " value");
        }
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 1 || (i > 0 && sorted[i] == sorted[i - 1])) {
                throw new IllegalArgumentException(name + " values must be distinct and >= 1, got "
                        + Arrays.toString(values));
            }
        }
        return sorted;
    }
}
