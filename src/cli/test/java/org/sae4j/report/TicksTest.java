package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

final class TicksTest {

    private static List<Tick> major(List<Tick> ticks) {
        return ticks.stream().filter(Tick::major).toList();
    }

    @Test
    void shouldPlaceLogTicksAtPowersOfTenWithExponentLabels() {
        List<Tick> major = major(Ticks.log(1e3, 1e10));
        assertEquals(List.of("1e3", "1e4", "1e5", "1e6", "1e7", "1e8", "1e9", "1e10"),
                major.stream().map(Tick::label).toList());
        for (Tick tick : major) {
            double exponent = Math.log10(tick.value());
            assertEquals(Math.rint(exponent), exponent, 1e-12, "tick " + tick + " is a power of ten");
        }
    }

    @Test
    void shouldThinLogLabelsOnLongRangesAndUsePlainLabelsOnShortOnes() {
        List<Tick> major = major(Ticks.log(1e-6, 1e14));
        assertTrue(major.size() <= Ticks.MAX_LOG_LABELS, "labels " + major);
        assertEquals("1e-6", major.getFirst().label());
        assertEquals(List.of("0.01", "0.1", "1", "10", "100"),
                major(Ticks.log(0.01, 100)).stream().map(Tick::label).toList());
        assertEquals(List.of("2", "5", "10", "20"), major(Ticks.log(1.5, 30)).stream().map(Tick::label).toList());
    }

    @Test
    void shouldChooseOneTwoFiveStepsOnLinearAxes() {
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"),
                Ticks.linear(0, 1).stream().map(Tick::label).toList());
        assertEquals(List.of("-20", "0", "20", "40", "60", "80", "100"),
                Ticks.linear(-23, 107).stream().map(Tick::label).toList());
        assertEquals(5.0, Ticks.niceStep(3.1));
        assertEquals(0.01, Ticks.niceStep(0.0123), 1e-15);
        assertEquals(20.0, Ticks.niceStep(21.7), 1e-12);
        assertEquals(List.of("0", "5e6", "1e7", "1.5e7"), Ticks.linear(0, 1.6e7).stream().map(Tick::label).toList());
    }
}
