package org.sae4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A GitHub-flavoured Markdown table, padded so that the source reads as a table too. Columns whose cells are all
 * numbers (or empty) are right-aligned.
 *
 * <pre>{@code
 * MarkdownTable table = new MarkdownTable("method", "MCC", "FLOPs", "seconds");
 * table.row("ISTA", MarkdownTable.fixed(0.934, 3), MarkdownTable.sci(1.43e10), 12.5);
 * String markdown = table.toString();
 * // | method |   MCC |   FLOPs | seconds |
 * // | :----- | ----: | ------: | ------: |
 * // | ISTA   | 0.934 | 1.43e10 |    12.5 |
 * }</pre>
 *
 * <p>Cells: {@code null} is empty; {@link Double} and {@link Float} are printed with up to four significant digits
 * (scientific outside [1e-3, 1e5)); other objects by {@code toString()}. Pipes are escaped and line breaks become
 * spaces, so any text is safe in a cell.
 *
 * <p><b>Note:</b> not thread-safe.
 */
public final class MarkdownTable {

    /** Cells that count as numbers when deciding alignment: decimals, scientific, percentages, NaN, Inf. */
    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?%?|NaN|[-+]?Inf(inity)?");

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * A table with the given column headings.
     *
     * @throws IllegalArgumentException when there are no columns
     */
    public MarkdownTable(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a Markdown table needs at least one column");
        }
        List<String> names = new ArrayList<>(columns.length);
        for (String column : columns) {
            names.add(cell(Objects.requireNonNull(column, "column name")));
        }
        this.header = List.copyOf(names);
    }

    /**
     * Appends a row.
     *
     * @return this table
     * @throws IllegalArgumentException when the number of cells differs from the number of columns
     */
    public MarkdownTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row " + (rows.size() + 1) + " has " + cells.length
                    + " cells but the table has " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(cell(cell));
        }
        rows.add(row);
        return this;
    }

    /** Number of rows added. */
    public int rowCount() {
        return rows.size();
    }

    /**
     * A value with three significant digits in scientific notation without a plus sign or leading zeros in the
     * exponent: {@code 1.43e10}, {@code 2.50e-3}, {@code 0} for zero, {@code NaN}, {@code Inf}, {@code -Inf}.
     */
    public static String sci(double value) {
        if (value == 0) {
            return "0";
        }
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
        }
        String text = String.format(Locale.ROOT, "%.2e", value);
        int e = text.indexOf('e');
        return text.substring(0, e) + "e" + Integer.parseInt(text.substring(e + 1));
    }

    /**
     * A value with a fixed number of decimals: {@code fixed(0.93417, 3)} is {@code 0.934}.
     *
     * @throws IllegalArgumentException when {@code decimals} is negative or above 17
     */
    public static String fixed(double value, int decimals) {
        if (decimals < 0 || decimals > 17) {
            throw new IllegalArgumentException("decimals must be in [0, 17]: " + decimals);
        }
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** The table as GitHub Markdown, one line per row, ending with a line break. */
    @Override
    public String toString() {
        int columns = header.size();
        int[] widths = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = Math.max(3, header.get(c).length());
            boolean anyNumber = false;
            boolean allNumbers = true;
            for (List<String> row : rows) {
                String cell = row.get(c);
                widths[c] = Math.max(widths[c], cell.length());
                if (!cell.isEmpty()) {
                    boolean number = NUMBER.matcher(cell).matches();
                    anyNumber |= number;
                    allNumbers &= number;
                }
            }
            numeric[c] = anyNumber && allNumbers;
        }
        StringBuilder text = new StringBuilder();
        line(text, header, widths, numeric);
        text.append('|');
        for (int c = 0; c < columns; c++) {
            text.append(' ').append(numeric[c] ? "-".repeat(widths[c] - 1) + ":" : ":" + "-".repeat(widths[c] - 1))
                    .append(" |");
        }
        text.append('\n');
        for (List<String> row : rows) {
            line(text, row, widths, numeric);
        }
        return text.toString();
    }

    private static void line(StringBuilder text, List<String> cells, int[] widths, boolean[] rightAligned) {
        text.append('|');
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(widths[c] - cell.length());
            text.append(' ').append(rightAligned[c] ? padding + cell : cell + padding).append(" |");
        }
        text.append('\n');
    }

    private static String cell(Object value) {
        String text = switch (value) {
            case null -> "";
            case Double number -> general(number);
            case Float number -> general(number.doubleValue());
            default -> value.toString();
        };
        return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace("|", "\\|");
    }

    /** Up to four significant digits, trailing zeros removed; scientific outside [1e-3, 1e5). */
    private static String general(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : sci(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e5 || magnitude < 1e-3) {
            return sci(value);
        }
        int decimals = Math.max(0, 3 - (int) Math.floor(Math.log10(magnitude)));
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return text.contains(".") ? text.replaceAll("\\.?0+$", "") : text;
    }
}
