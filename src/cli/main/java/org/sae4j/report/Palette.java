package org.sae4j.report;

import java.util.List;

/**
 * Colours for series and for the heatmap's sequential colour map.
 *
 * <p>Series colours start with the Okabe–Ito set (distinguishable under the common colour-vision deficiencies), its
 * yellow darkened so that it shows on white, then continue with darker hues so that 12 series stay apart; beyond
 * that the list repeats. The colour map interpolates between anchor colours sampled from matplotlib's viridis,
 * which is perceptually uniform and prints legibly in grey scale.
 */
final class Palette {

    private static final List<Rgb> SERIES = List.of(
            Rgb.hex("#0072b2"), Rgb.hex("#e69f00"), Rgb.hex("#009e73"), Rgb.hex("#d55e00"),
            Rgb.hex("#cc79a7"), Rgb.hex("#56b4e9"), Rgb.hex("#000000"), Rgb.hex("#b59f00"),
            Rgb.hex("#882255"), Rgb.hex("#44aa99"), Rgb.hex("#332288"), Rgb.hex("#999933"));

    private static final List<Rgb> VIRIDIS = List.of(
            Rgb.hex("#440154"), Rgb.hex("#482878"), Rgb.hex("#3e4989"), Rgb.hex("#31688e"),
            Rgb.hex("#26828e"), Rgb.hex("#1f9e89"), Rgb.hex("#35b779"), Rgb.hex("#6ece58"),
            Rgb.hex("#b5de2b"), Rgb.hex("#fde725"));

    private Palette() {
    }

    /** Number of distinct series colours before the list repeats. */
    static int seriesColourCount() {
        return SERIES.size();
    }

    /** The colour of the series at {@code index} (0-based) in drawing order. */
    static Rgb series(int index) {
        return SERIES.get(Math.floorMod(index, SERIES.size()));
    }

    /** The sequential colour map at {@code t}, clamped to [0, 1]; 0 is dark purple, 1 is yellow. */
    static Rgb sequential(double t) {
        double clamped = Math.clamp(t, 0.0, 1.0);
        double position = clamped * (VIRIDIS.size() - 1);
        int lower = Math.min((int) position, VIRIDIS.size() - 2);
        return VIRIDIS.get(lower).mix(VIRIDIS.get(lower + 1), position - lower);
    }

    /** The anchors of the sequential map, evenly spaced from 0 to 1 (for gradients). */
    static List<Rgb> sequentialAnchors() {
        return VIRIDIS;
    }
}
