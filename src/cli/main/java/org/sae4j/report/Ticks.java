package org.sae4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick positions and labels that read well: multiples of 1, 2 or 5 times a power of ten on linear axes, powers of
 * ten on log axes (with 2 and 5 multiples when the range spans less than two decades, and unlabelled minor ticks at
 * the other integer multiples).
 */
final class Ticks {

    /** About this many labelled ticks per axis; fewer on narrow ranges. */
    static final int TARGET_COUNT = 6;

    /** Log axes label at most this many decades; longer ranges label every second (third, ...) decade. */
    static final int MAX_LOG_LABELS = 9;

    /** Relative slack when testing whether a tick lies inside the range, so that rounding keeps end ticks. */
    private static final double EDGE_SLACK = 1e-9;

    private Ticks() {
    }

    /** Ticks for an axis showing [min, max]; {@code min < max}, both positive for {@link AxisScale#LOG10}. */
    static List<Tick> of(AxisScale scale, double min, double max) {
        return scale == AxisScale.LINEAR ? linear(min, max) : log(min, max);
    }

    /** Ticks at k·step for the 1-2-5 step nearest to (max − min) / {@link #TARGET_COUNT}: about 4 to 8 ticks. */
    static List<Tick> linear(double min, double max) {
        double step = niceStep((max - min) / TARGET_COUNT);
        if ((max - min) / step > TARGET_COUNT + 1.5) {
            // rounding the step down gave too many labels; the next 1-2-5 value up gives at most TARGET_COUNT + 1
            step = niceStep(step * 1.6);
        }
        double slack = (max - min) * EDGE_SLACK;
        List<Tick> ticks = new ArrayList<>();
        boolean scientific = Math.max(Math.abs(min), Math.abs(max)) >= 1e6
                || Math.max(Math.abs(min), Math.abs(max)) < 1e-3;
        for (long k = (long) Math.ceil((min - slack) / step); k * step <= max + slack; k++) {
            // k * step rather than repeated addition: no drift, and 0 stays exactly 0
            double value = k * step;
            ticks.add(new Tick(value, scientific ? scientific(value) : decimal(value, step)));
        }
        return ticks;
    }

    /** Powers of ten inside [min, max], thinned, or 1-2-5 multiples on short ranges; minor ticks in between. */
    static List<Tick> log(double min, double max) {
        double logMin = Math.log10(min);
        double logMax = Math.log10(max);
        int lowest = (int) Math.ceil(logMin - EDGE_SLACK);
        int highest = (int) Math.floor(logMax + EDGE_SLACK);
        int decades = highest - lowest + 1;
        boolean plain = lowest >= -2 && highest <= 3;
        List<Tick> ticks = new ArrayList<>();
        if (decades >= 2) {
            int stride = (decades + MAX_LOG_LABELS - 1) / MAX_LOG_LABELS;
            boolean minor = logMax - logMin <= 6;
            for (int k = lowest - 1; k <= highest; k++) {
                if (k >= lowest && Math.floorMod(k, stride) == 0) {
                    ticks.add(new Tick(Math.pow(10, k), power(k, 1, plain)));
                } else if (k >= lowest) {
                    ticks.add(new Tick(Math.pow(10, k), ""));
                }
                for (int multiple = 2; minor && multiple <= 9; multiple++) {
                    double value = multiple * Math.pow(10, k);
                    if (inside(value, logMin, logMax)) {
                        ticks.add(new Tick(value, ""));
                    }
                }
            }
            return ticks;
        }
        for (int k = lowest - 1; k <= highest; k++) {
            for (int multiple = 1; multiple <= 9; multiple++) {
                double value = multiple * Math.pow(10, k);
                if (inside(value, logMin, logMax)) {
                    boolean labelled = multiple == 1 || multiple == 2 || multiple == 5;
                    ticks.add(new Tick(value, labelled ? power(k, multiple, plain) : ""));
                }
            }
        }
        if (ticks.stream().filter(Tick::major).count() >= 2) {
            return ticks;
        }
        // less than a factor of 2.5 between the ends: a linear subdivision reads better than sparse log ticks
        return linear(min, max);
    }

    private static boolean inside(double value, double logMin, double logMax) {
        double log = Math.log10(value);
        return log >= logMin - EDGE_SLACK && log <= logMax + EDGE_SLACK;
    }

    /** The 1, 2 or 5 times a power of ten nearest to {@code rough} (on a log scale, roughly). */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / power;
        double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return nice * power;
    }

    /** multiple·10^k as "1e9", "2e-3" or, for moderate exponents, plainly ("20", "0.5"). */
    static String power(int exponent, int multiple, boolean plain) {
        if (plain) {
            return decimal(multiple * Math.pow(10, exponent), Math.pow(10, exponent));
        }
        return multiple + "e" + exponent;
    }

    /** The value with as many decimals as the step needs, never "-0". */
    static String decimal(double value, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + EDGE_SLACK));
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
    }

    /** Shortest of "2.5e6"-style labels: up to three significant digits, trailing zeros removed. */
    static String scientific(double value) {
        if (value == 0) {
            return "0";
        }
        String text = String.format(Locale.ROOT, "%.2e", value);
        int e = text.indexOf('e');
        String mantissa = text.substring(0, e).replaceAll("\\.?0+$", "");
        int exponent = Integer.parseInt(text.substring(e + 1));
        return mantissa + "e" + exponent;
    }
}
