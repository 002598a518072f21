package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

final class ProgressBarTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldFormatLineWithPercentCountElapsedAndEta() {
        ProgressBar bar = new ProgressBar("train", 1000, new PrintStream(new ByteArrayOutputStream()), true, () -> 0);
        assertEquals("train [============>                 ] 42% 420/1000  12.3 s  eta 17 s",
                bar.line(420, 12_300 * MS));
        assertEquals("train [==============================] 100% 1000/1000  1m 05s", bar.line(1000, 65_000 * MS));
        assertEquals("train [>                             ] 0% 0/1000  0.0 s  eta ?", bar.line(0, 0));
    }

    @Test
    void shouldRedrawAtMostEveryIntervalAndFinishWithFullLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        try (ProgressBar bar = new ProgressBar("seeds", 10, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                true, clock::get)) {
            bar.step();
            clock.addAndGet(50 * MS);
            bar.step();
            clock.addAndGet(ProgressBar.REDRAW_INTERVAL_MS * MS);
            bar.stepBy(3);
            clock.addAndGet(50 * MS);
            bar.stepBy(5);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        String[] redraws = output.split("\r", -1);
        // first step, the step after the interval, completion, close
        assertEquals(5, redraws.length, output);
        assertTrue(redraws[1].contains(" 10% 1/10"), redraws[1]);
        assertTrue(redraws[2].contains(" 50% 5/10"), redraws[2]);
        assertTrue(redraws[4].startsWith("seeds [==============================] 100% 10/10  0.3 s"), redraws[4]);
        assertTrue(output.endsWith(System.lineSeparator()), "close ends the line");
    }

    @Test
    void shouldPrintNothingWhenDisabled() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar("quiet", 3, new PrintStream(bytes), false)) {
            bar.step();
            bar.stepBy(2);
            assertEquals(3, bar.done());
        }
        assertEquals(0, bytes.size());
    }

    @Test
    void shouldCountEveryStepFromManyThreads() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int threads = 4;
        int stepsPerThread = 10_000;
        ProgressBar bar = new ProgressBar("parallel", (long) threads * stepsPerThread, new PrintStream(bytes), true);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < stepsPerThread; i++) {
                        bar.step();
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        bar.close();
        assertEquals((long) threads * stepsPerThread, bar.done());
        String output = bytes.toString(StandardCharsets.UTF_8);
        String last = output.substring(output.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("parallel [==============================] 100% 40000/40000"), last);
    }

    @Test
    void shouldRejectNegativeTotalAndSteps() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        assertEquals("progress total must be non-negative: -1", assertThrowsExactly(IllegalArgumentException.class,
                () -> new ProgressBar("x", -1, sink, true)).getMessage());
        ProgressBar bar = new ProgressBar("x", 1, sink, true);
        assertEquals("progress steps must be non-negative: -2",
                assertThrowsExactly(IllegalArgumentException.class, () -> bar.stepBy(-2)).getMessage());
    }
}
