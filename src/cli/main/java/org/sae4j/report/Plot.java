package org.sae4j.report;

/**
 * A figure that {@link PlotWriter} can render to SVG text and to a PNG image.
 *
 * <p>Implementations are immutable records validated at construction, so rendering never fails on bad data.
 */
public sealed interface Plot permits LinePlot, Heatmap {

    /** The title drawn above the figure (may be empty). */
    String title();
}
