package org.sae4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import org.junit.jupiter.api.Test;

final class MarkdownTableTest {

    @Test
    void shouldRenderPaddedTableWithNumericColumnsRightAligned() {
        MarkdownTable table = new MarkdownTable("method", "MCC", "FLOPs", "seconds")
                .row("ISTA", MarkdownTable.fixed(0.93417, 3), MarkdownTable.sci(1.43e10), 12.5)
                .row("sparse coding", MarkdownTable.fixed(0.9, 3), MarkdownTable.sci(2.5e-3), 3);
        assertEquals("""
                | method        |   MCC |   FLOPs | seconds |
                | :------------ | ----: | ------: | ------: |
                | ISTA          | 0.934 | 1.43e10 |    12.5 |
                | sparse coding | 0.900 | 2.50e-3 |       3 |
                """, table.toString());
        assertEquals(2, table.rowCount());
    }

    @Test
    void shouldEscapePipesAndLineBreaksAndLeaveMixedColumnsLeftAligned() {
        String markdown = new MarkdownTable("name", "value").row("a|b", "n/a").row("c\nd", 1.0).row(null, null)
                .toString();
        assertEquals("""
                | name | value |
                | :--- | :---- |
                | a\\|b | n/a   |
                | c d  | 1     |
                |      |       |
                """, markdown);
    }

    @Test
    void shouldFormatDoublesWithFourSignificantDigits() {
        String markdown = new MarkdownTable("v").row(0.123456).row(123456.0).row(0.0001234).row(Double.NaN)
                .toString();
        assertEquals("""
                |       v |
                | ------: |
                |  0.1235 |
                | 1.23e5 |
                | 1.23e-4 |
                |     NaN |
                """.replace("| 1.23e5 |", "|  1.23e5 |"), markdown);
    }

    @Test
    void shouldFormatScientificAndFixedHelpers() {
        assertEquals("1.43e10", MarkdownTable.sci(1.43e10));
        assertEquals("1.00e1", MarkdownTable.sci(9.999));
        assertEquals("-2.50e-3", MarkdownTable.sci(-0.0025));
        assertEquals("0", MarkdownTable.sci(0));
        assertEquals("Inf", MarkdownTable.sci(Double.POSITIVE_INFINITY));
        assertEquals("0.93", MarkdownTable.fixed(0.934, 2));
        assertEquals("12", MarkdownTable.fixed(12.3, 0));
    }

    @Test
    void shouldRejectRowsOfTheWrongWidth() {
        MarkdownTable table = new MarkdownTable("a", "b");
        assertEquals("row 1 has 1 cells but the table has 2 columns",
                assertThrowsExactly(IllegalArgumentException.class, () -> table.row("x")).getMessage());
        assertEquals("a Markdown table needs at least one column",
                assertThrowsExactly(IllegalArgumentException.class, MarkdownTable::new).getMessage());
        assertEquals("decimals must be in [0, 17]: -1",
                assertThrowsExactly(IllegalArgumentException.class, () -> MarkdownTable.fixed(1, -1)).getMessage());
    }
}
