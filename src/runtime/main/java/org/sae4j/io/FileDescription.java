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

    private final String format;
    private final List<String> lines;
    private final List<LayoutFinding> findings;

    private FileDescription(String format, List<String> lines, List<LayoutFinding> findings) {
        this.format = format;
        this.lines = List.copyOf(lines);
        this.findings = List.copyOf(findings);
    }

    /**
     * Whether {@code path} has an extension this class describes: {@code .safetensors}, {@code .npy} or {@code .npz}
     * (matched case-insensitively). Does not look at the file.
     */
    public static boolean isDescribable(Path path) {
        return extension(path) != null;
    }

    /**
     * Reads, validates and describes the file at {@code path}.
     *
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

    /** {@code "safetensors"}, {@code "npy"} or {@code "npz"}. */
    public String format() {
        return format;
    }

    /** The printed description, one entry per line, without line terminators. */
    public List<String> lines() {
        return lines;
    }

    /** Every layout finding, in the order the {@code flags:} section prints them. */
    public List<LayoutFinding> findings() {
        return findings;
    }

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

    private static void addFlags(List<String> lines, List<LayoutFinding> findings, String noun) {
        lines.add(field("flags", findings.isEmpty() ? "none" : Integer.toString(findings.size())));
        for (LayoutFinding finding : findings) {
            String subject = finding.tensor() == null ? "" : noun + " '" + printable(finding.tensor()) + "' ";
            lines.add("  " + subject + finding.flag().label() + ": " + finding.detail());
        }
    }

    private static String labels(List<LayoutFinding> findings, String tensor) {
        StringBuilder labels = new StringBuilder();
        for (LayoutFinding finding : findings) {
            if (tensor.equals(finding.tensor())) {
                labels.append(labels.isEmpty() ? "" : " ").append(finding.flag().label());
            }
        }
        return labels.toString();
    }

    private static String field(String name, String value) {
        return String.format("%-14s %s", name + ":", value);
    }

    /** {@code text} with control characters escaped, so that a name or value from a file stays on its line. */
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

    private static String range(long begin, long end) {
        return "[" + begin + ", " + end + ")";
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

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

        private final List<String[]> rows = new ArrayList<>();

        void add(String... cells) {
            rows.add(cells);
        }

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
