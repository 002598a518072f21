package org.sae4j.report;

/** How an axis maps data values to positions: proportionally, or proportionally to their base-10 logarithm. */
public enum AxisScale {
    /** Positions proportional to the value; ticks at 1-2-5 multiples of a power of ten. */
    LINEAR,
    /** Positions proportional to log10 of the value (values must be positive); ticks at powers of ten. */
    LOG10
}
