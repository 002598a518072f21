package org.sae4j.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A one-line text progress bar redrawn in place with a carriage return:
 *
 * <pre>
 * training [============&gt;                 ] 42% 420/1000  12.3 s  eta 17 s
 * </pre>
 *
 * <pre>{@code
 * try (ProgressBar bar = new ProgressBar("seeds", seeds.length, System.err, ProgressBar.interactive())) {
 *     for (long seed : seeds) {
 *         run(seed);
 *         bar.step();
 *     }
 * }
 * }</pre>
 *
 * <p>The line is redrawn by the thread whose step finds the last redraw at least {@value #REDRAW_INTERVAL_MS} ms
 * old, and once more when the count reaches the total; {@link #close()} prints the final line and a line break.
 * A disabled bar counts but prints nothing at all, so callers need no separate code path for non-interactive runs.
 *
 * <p><b>Note:</b> {@link #step()} and {@link #stepBy(long)} are thread-safe and lock-free unless they redraw;
 * redraws are serialised so lines never interleave.
 */
public final class ProgressBar implements AutoCloseable {

    /** Minimum time between two redraws, in milliseconds. */
    public static final long REDRAW_INTERVAL_MS = 200;

    private static final int BAR_WIDTH = 30;
    private static final long NEVER = Long.MIN_VALUE;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean enabled;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastDrawNanos = new AtomicLong(NEVER);
    private final Object printLock = new Object();
    private boolean completionDrawn;
    private boolean closed;
    private int lastLineLength;

    /**
     * A bar over {@code total} steps.
     *
     * @param label   text before the bar; not null
     * @param total   number of steps, non-negative (0 shows 100% at once)
     * @param out     where the line is printed; not null
     * @param enabled false for a bar that prints nothing (for example when {@link #interactive()} is false)
     * @throws IllegalArgumentException when {@code total} is negative
     */
    public ProgressBar(String label, long total, PrintStream out, boolean enabled) {
        this(label, total, out, enabled, System::nanoTime);
    }

    /** As the public constructor, with the clock injected (tests). */
    ProgressBar(String label, long total, PrintStream out, boolean enabled, LongSupplier nanoClock) {
        this.label = Objects.requireNonNull(label, "label");
        if (total < 0) {
            throw new IllegalArgumentException("progress total must be non-negative: " + total);
        }
        this.total = total;
        this.out = Objects.requireNonNull(out, "out");
        this.enabled = enabled;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.startNanos = nanoClock.getAsLong();
    }

    /** Whether the process has a console, i.e. a bar redrawn in place will be seen as one line. */
    public static boolean interactive() {
        return System.console() != null;
    }

    /** Counts one step. */
    public void step() {
        stepBy(1);
    }

    /**
     * Counts {@code steps} steps.
     *
     * @throws IllegalArgumentException when {@code steps} is negative
     */
    public void stepBy(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("progress steps must be non-negative: " + steps);
        }
        long now = done.addAndGet(steps);
        if (!enabled) {
            return;
        }
        long nanos = nanoClock.getAsLong();
        if (now >= total) {
            redraw(false, true);
            return;
        }
        long last = lastDrawNanos.get();
        if ((last == NEVER || nanos - last >= TimeUnit.MILLISECONDS.toNanos(REDRAW_INTERVAL_MS))
                && lastDrawNanos.compareAndSet(last, nanos)) {
            redraw(false, false);
        }
    }

    /** Steps counted so far. */
    public long done() {
        return done.get();
    }

    /** Prints the final line and a line break (once; later calls do nothing). */
    @Override
    public void close() {
        if (enabled) {
            redraw(true, false);
        }
    }

    private void redraw(boolean closing, boolean completing) {
        synchronized (printLock) {
            if (closed || (completing && completionDrawn)) {
                return;
            }
            completionDrawn |= completing;
            String line = line(done.get(), nanoClock.getAsLong() - startNanos);
            // pad over the tail of a longer previous line (the eta can shrink)
            String padding = " ".repeat(Math.max(0, lastLineLength - line.length()));
            lastLineLength = line.length();
            out.print("\r" + line + padding);
            if (closing) {
                out.print(System.lineSeparator());
                closed = true;
            }
            out.flush();
        }
    }

    /** The text of the bar after {@code count} steps and {@code elapsedNanos}. */
    String line(long count, long elapsedNanos) {
        double fraction = total == 0 ? 1 : Math.min(1.0, (double) count / total);
        int filled = (int) Math.floor(fraction * BAR_WIDTH);
        String bar = fraction >= 1 ? "=".repeat(BAR_WIDTH)
                : "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled - 1);
        double elapsedSeconds = elapsedNanos / 1e9;
        String eta;
        if (count >= total) {
            eta = "";
        } else if (count == 0) {
            eta = "  eta ?";
        } else {
            eta = "  eta " + duration(elapsedSeconds * (total - count) / count, false);
        }
        return String.format(Locale.ROOT, "%s [%s] %d%% %d/%d  %s%s", label, bar, (int) Math.floor(fraction * 100),
                count, total, duration(elapsedSeconds, true), eta);
    }

    /** "12.3 s" (or "12 s"), "4m 05s", "2h 03m". */
    static String duration(double seconds, boolean tenths) {
        if (seconds < 60) {
            return tenths ? String.format(Locale.ROOT, "%.1f s", seconds)
                    : String.format(Locale.ROOT, "%d s", (long) Math.ceil(seconds));
        }
        long whole = Math.round(seconds);
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", whole / 3600, whole % 3600 / 60);
    }
}
