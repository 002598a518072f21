package org.sae4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sae4j.tensor.TensorArena;

/**
 * A human-readable description of one tensor container file, chosen by its extension: what {@code sae4j inspect}
 * prints for a {@code .safetensors}, {@code .npy} or {@code .npz} file that is not part of an SAE folder.
 *
 * <pre>{@code
 * FileDescription description = FileDescription.of(Path.of("sae_weights.safetensors"));
 * description.lines().forEach(System.out::println);
 * boolean unpadded = description.findings().stream().anyMatch(f -> f.flag() == LayoutFlag.UNPADDED_HEADER);
 * }</pre>
 *
 * <ul>
 *   <li><b>safetensors:</b> file size, header length and range, data section range, the {@code __metadata__}
 *       entries, and every tensor in header order with dtype, shape, its byte range [begin, end) relative to the data
 *       section and the same range as absolute file offsets;</li>
 *   <li><b>npy:</b> dtype, shape, fortran order, format version, data offset and data size;</li>
 *   <li><b>npz:</b> every member with dtype, shape, compression, compressed and uncompressed size, and the inner
 *       {@code .npy} version and data offset;</li>
 * </ul>
 * then a {@code flags:} section with one line per {@link LayoutFinding} ({@code flags: none} without any). Tensor and
 * member rows also end with the labels of their own flags.
 *
 * <p>The file is validated in full by its reader first, so a description is only made of a well-formed file.
 *
 * <p><b>Note:</b> immutable and thread-safe; the file is closed (and any npz member memory freed) before
 * {@link #of} returns.
 */
public final class FileDescription {

    /** The container format: {@code "safetensors"}, {@code "npy"} or {@code "npz"}. */
    private final String format;
    /** The printed description, one entry per line, unmodifiable. */
    private final List<String> lines;
    /** The layout findings in {@code flags:} order, unmodifiable. */
    private final List<LayoutFinding> findings;

    /**
     * Wraps a finished description, copying both lists.
     *
     * @param format   {@code "safetensors"}, {@code "npy"} or {@code "npz"}
     * @param lines    the printed lines, without line terminators
     * @param findings the findings the {@code flags:} section lists, in its order
     */
    private FileDescription(String format, List<String> lines, List<LayoutFinding> findings) {
        this.format = format;
        this.lines = List.copyOf(lines);
        this.findings = List.copyOf(findings);
    }

    /**
     * Whether {@code path} has an extension this class describes: {@code .safetensors}, {@code .npy} or {@code .npz}
     * (matched case-insensitively). Does not look at the file.
     *
     * @param path a file path; only its last name element is examined
     * @return {@code true} if {@link #of} accepts the extension; {@code false} otherwise, including for a path
     *         without a file name, such as a root
     */
    public static boolean isDescribable(Path path) {
        return extension(path) != null;
    }

    /**
     * Reads, validates and describes the file at {@code path}.
     *
     * @param path a {@code .safetensors}, {@code .npy} or {@code .npz} file
     * @return the description of the file, with its layout findings
     * @throws FormatException          if the file is malformed: the reader's exception, naming the file and problem
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if the extension is not one that {@link #isDescribable} accepts
     */
    public static FileDescription of(Path path) throws IOException {
        String extension = extension(path);
        if (extension == null) {
            throw new IllegalArgumentException(path + ": expected a .safetensors, .npy or .npz file");
        }
        long fileBytes = Files.size(path);
        try (TensorArena arena = new TensorArena("describe " + path.getFileName())) {
            return switch (extension) {
                case "safetensors" -> safetensors(path, fileBytes, SafetensorsFile.open(path, arena));
                case "npy" -> npy(path, fileBytes, NpyFile.open(path, arena));
                default -> npz(path, fileBytes, NpzFile.open(path, arena));
            };
        }
    }

    /**
     * The container format, taken from the file's extension.
     *
     * @return {@code "safetensors"}, {@code "npy"} or {@code "npz"}
     */
    public String format() {
        return format;
    }

    /**
     * The printed description, {@code flags:} section included.
     *
     * @return an unmodifiable list with one entry per line, without line terminators
     */
    public List<String> lines() {
        return lines;
    }

    /**
     * Every layout finding, in the order the {@code flags:} section prints them.
     *
     * @return an unmodifiable list, empty when the section reads {@code flags: none}
     */
    public List<LayoutFinding> findings() {
        return findings;
    }

    /**
     * Describes an opened safetensors file: sizes and ranges of the header and data section, the metadata, one row per
     * tensor with its range relative to the data section and in the file, then the flags.
     *
     * @param path      the file, as printed on the {@code file:} line
     * @param fileBytes the file size in bytes
     * @param file      the validated file
     * @return the description, with the file's {@link SafetensorsFile#layoutFindings()}
     */
    private static FileDescription safetensors(Path path, long fileBytes, SafetensorsFile file) {
        List<String> lines = new ArrayList<>();
        lines.add(field("file", printable(path.toString())));
        lines.add(field("format", "safetensors"));
        lines.add(field("size", fileBytes + " bytes"));
        lines.add(field("header", file.headerLength() + " bytes at " + range(Long.BYTES, file.dataStart())));
        lines.add(field("data", file.dataLength() + " bytes at " + range(file.dataStart(),
                file.dataStart() + file.dataLength())));
        Map<String, String> metadata = file.metadata();
        lines.add(field("metadata", metadata.isEmpty() ? "none" : count(metadata.size(), "entry", "entries")));
        metadata.forEach((key, value) -> lines.add("  " + printable(key) + " = " + printable(value)));
        List<LayoutFinding> findings = file.layoutFindings();
        List<SafetensorsTensor> tensors = file.tensors();
        lines.add(field("tensors", Integer.toString(tensors.size())));
        Table table = new Table();
        for (SafetensorsTensor tensor : tensors) {
            long fileBegin = file.dataStart() + tensor.beginOffset();
            table.add(printable(tensor.name()), tensor.dtype().name(), tensor.shape().toString(),
                    "data " + range(tensor.beginOffset(), tensor.endOffset()),
                    "file " + range(fileBegin, fileBegin + tensor.byteSize()), labels(findings, tensor.name()));
        }
        lines.addAll(table.lines());
        addFlags(lines, findings, "tensor");
        return new FileDescription("safetensors", lines, findings);
    }

    /**
     * Describes an opened npy file: format version, dtype, shape, fortran order and the data range in the file, then
     * the flags.
     *
     * @param path      the file, as printed on the {@code file:} line
     * @param fileBytes the file size in bytes
     * @param file      the validated file
     * @return the description, with the file's {@link NpyFile#layoutFindings()}
     */
    private static FileDescription npy(Path path, long fileBytes, NpyFile file) {
        List<String> lines = new ArrayList<>();
        lines.add(field("file", printable(path.toString())));
        lines.add(field("format", "npy"));
        lines.add(field("size", fileBytes + " bytes"));
        lines.add(field("version", file.majorVersion() + ".0"));
        lines.add(field("dtype", file.dtype().name()));
        lines.add(field("shape", file.shape().toString()));
        lines.add(field("fortran order", file.fortranOrder() ? "True" : "False"));
        lines.add(field("data", file.segment().byteSize() + " bytes at " + range(file.dataStart(),
                file.dataStart() + file.segment().byteSize())));
        List<LayoutFinding> findings = file.layoutFindings();
        addFlags(lines, findings, "array");
        return new FileDescription("npy", lines, findings);
    }

    /**
     * Describes an opened npz archive: one row per member with dtype, shape, compression, compressed and uncompressed
     * size, the inner {@code .npy} version and the data offset counted from the start of the inflated member, then
     * the flags. Only {@link LayoutFlag#ZERO_SIZE} and {@link LayoutFlag#SCALAR} are reported, since offsets inside
     * a member say nothing about the archive file.
     *
     * @param path      the archive, as printed on the {@code file:} line
     * @param fileBytes the archive size in bytes
     * @param archive   the validated archive
     * @return the description, with the members' shape findings named by array name, in archive order
     */
    private static FileDescription npz(Path path, long fileBytes, NpzFile archive) {
        List<String> lines = new ArrayList<>();
        lines.add(field("file", printable(path.toString())));
        lines.add(field("format", "npz"));
        lines.add(field("size", fileBytes + " bytes"));
        List<NpzEntry> entries = archive.entries();
        lines.add(field("members", Integer.toString(entries.size())));
        List<LayoutFinding> findings = new ArrayList<>();
        Table table = new Table();
        for (NpzEntry entry : entries) {
            NpyFile array = archive.array(entry.name());
            // Offsets inside an inflated member say nothing about the archive file, so only shape flags apply.
            List<LayoutFinding> own = new ArrayList<>();
            for (LayoutFinding finding : array.layoutFindings()) {
                if (finding.flag() == LayoutFlag.ZERO_SIZE || finding.flag() == LayoutFlag.SCALAR) {
                    own.add(new LayoutFinding(finding.flag(), entry.name(), finding.detail()));
                }
            }
            findings.addAll(own);
            table.add(printable(entry.memberName()), array.dtype().name(), array.shape().toString(),
                    entry.compression(), entry.compressedBytes() + " of " + entry.uncompressedBytes() + " bytes",
                    "npy " + array.majorVersion() + ".0, data at member byte " + array.dataStart(),
                    labels(own, entry.name()));
        }
        lines.addAll(table.lines());
        addFlags(lines, findings, "array");
        return new FileDescription("npz", lines, findings);
    }

    /**
     * Appends the {@code flags:} section: the number of findings (or {@code none}), then one line per finding, indented
     * by two spaces, as {@code NOUN 'NAME' label: detail}, without the subject for a finding about the whole file.
     *
     * @param lines    the lines to append to
     * @param findings the findings to list, in order
     * @param noun     what a finding's subject is called: {@code "tensor"} or {@code "array"}
     */
    private static void addFlags(List<String> lines, List<LayoutFinding> findings, String noun) {
        lines.add(field("flags", findings.isEmpty() ? "none" : Integer.toString(findings.size())));
        for (LayoutFinding finding : findings) {
            String subject = finding.tensor() == null ? "" : noun + " '" + printable(finding.tensor()) + "' ";
            lines.add("  " + subject + finding.flag().label() + ": " + finding.detail());
        }
    }

    /**
     * The labels of the findings about one tensor or array, for the end of its row.
     *
     * @param findings the findings to search
     * @param tensor   the tensor or array name, matched exactly against {@link LayoutFinding#tensor()}
     * @return the matching {@link LayoutFlag#label()}s in order, separated by single spaces; empty when none match
     */
    private static String labels(List<LayoutFinding> findings, String tensor) {
        StringBuilder labels = new StringBuilder();
        for (LayoutFinding finding : findings) {
            if (tensor.equals(finding.tensor())) {
                labels.append(labels.isEmpty() ? "" : " ").append(finding.flag().label());
            }
        }
        return labels.toString();
    }

    /**
     * One {@code name: value} line, the name and colon left-aligned in 14 columns so that values line up.
     *
     * @param name  the field name, without the colon
     * @param value the already printable value
     * @return {@code "name:"} padded to 14 characters, a space and the value
     */
    private static String field(String name, String value) {
        return String.format("%-14s %s", name + ":", value);
    }

    /**
     * Escapes control characters, so that a name or value taken from a file stays on its line.
     *
     * @param text a path, name or value as read
     * @return {@code text} with every ISO control character replaced by a six-character escape: a backslash,
     *         {@code u} and its code in four lower-case hex digits; other characters unchanged
     */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * A half-open byte range.
     *
     * @param begin the first byte offset, included
     * @param end   the offset after the last byte, excluded
     * @return {@code "[begin, end)"}
     */
    private static String range(long begin, long end) {
        return "[" + begin + ", " + end + ")";
    }

    /**
     * A count with its noun in singular or plural.
     *
     * @param n    the count
     * @param one  the noun for exactly one, e.g. {@code "entry"}
     * @param many the noun for any other count, e.g. {@code "entries"}
     * @return {@code n}, a space and the matching noun
     */
    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /**
     * The describable extension of a path's file name, compared case-insensitively.
     *
     * @param path a file path
     * @return {@code "safetensors"}, {@code "npy"} or {@code "npz"} in lower case, without the dot; {@code null} for
     *         any other extension or a path without a file name
     */
    private static String extension(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return null;
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        for (String extension : List.of("safetensors", "npy", "npz")) {
            if (lower.endsWith("." + extension)) {
                return extension;
            }
        }
        return null;
    }

    /** Rows indented by two spaces whose columns are padded to the widest cell; trailing spaces are dropped. */
    private static final class Table {

        /** The rows added so far, in order; each array holds one row's cells. */
        private final List<String[]> rows = new ArrayList<>();

        /** Creates an empty table. */
        private Table() {
        }

        /**
         * Appends a row.
         *
         * @param cells the row's cells, already printable; every row of a table has as many cells as the first
         */
        void add(String... cells) {
            rows.add(cells);
        }

        /**
         * Lays out the rows: each line starts with two spaces, and each cell is padded with spaces to the widest cell
         * of its column (counted in chars) and followed by two spaces before the next column.
         *
         * @return one line per row, in order, trailing spaces removed; empty when no row was added
         */
        List<String> lines() {
            List<String> lines = new ArrayList<>(rows.size());
            if (rows.isEmpty()) {
                return lines;
            }
            int[] widths = new int[rows.getFirst().length];
            for (String[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    widths[c] = Math.max(widths[c], row[c].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder(" ");
                for (int c = 0; c < row.length; c++) {
                    line.append(' ').append(row[c]).repeat(' ', widths[c] - row[c].length() + 1);
                }
                lines.add(line.toString().stripTrailing());
            }
            return lines;
        }
    }
}
