package org.sae4j.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

/**
 * A validated NumPy {@code .npz} archive (sae-formats §3): a ZIP whose members are {@code .npy} files, stored or
 * deflated, as written by {@code np.savez} and {@code np.savez_compressed}. Gemma Scope ships its weights this way.
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("gemma-scope")) {
 *     NpzFile params = NpzFile.open(Path.of("params.npz"), arena);
 *     NpyFile wEnc = params.array("W_enc");              // member "W_enc.npy"
 *     long[] shape = wEnc.shapeArray();                   // {2304, 16384}
 * }
 * }</pre>
 *
 * <p>Opening reads every member once: each is inflated into a 64-byte aligned segment of the owner arena (so the
 * archive is read into memory; the mapping trick of {@link NpyFile#open} does not apply to compressed members) and
 * parsed with {@link NpyFile#parse}. Rules, each violation a {@link FormatException} (or the
 * {@link NpyFormatException} of a malformed member) whose message starts with the archive path:
 * <ul>
 *   <li>the file is a readable ZIP archive with at most {@link #MAX_MEMBERS} entries;</li>
 *   <li>every entry is a file whose name ends in {@code .npy} with a non-empty stem; directories and other files are
 *       rejected;</li>
 *   <li>no two entries share a name;</li>
 *   <li>each member's declared uncompressed size is known and at most the {@code maxMemberBytes} given to
 *       {@link #open(Path, TensorArena, long)} ({@link #DEFAULT_MAX_MEMBER_BYTES} by default), and the inflated data
 *       has exactly that size (never more is read, and a size deflate cannot reach from the compressed size is
 *       refused before allocating, which defuses decompression bombs);</li>
 *   <li>each member's declared compressed size fits in the archive file, so a damaged size field cannot make the
 *       bound above, and with it the allocation, larger than the file itself justifies;</li>
 *   <li>the data of each member matches the CRC-32 recorded for it (as Python's {@code zipfile}, which NumPy reads
 *       with, requires), so damaged stored bytes or a corrupted deflate stream that still inflates are refused.</li>
 * </ul>
 * Arrays are named by the member name without {@code .npy}.
 *
 * <p><b>Note:</b> immutable and thread-safe once open; the arrays live as long as the owner arena.
 */
public final class NpzFile {

    /** Largest number of members accepted. */
    public static final int MAX_MEMBERS = 4096;

    /** Default cap on one member's uncompressed size: 64 GiB, above the largest released Gemma Scope matrix. */
    public static final long DEFAULT_MAX_MEMBER_BYTES = 64L << 30;

    /** Every member's name ends with this; the array name is the rest. */
    private static final String SUFFIX = ".npy";
    /** Members are inflated through a heap chunk of at most this many bytes. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** Deflate cannot expand more than about 1032:1, so a larger claimed size is refused before allocating. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /** The archive path; starts every message. */
    private final String source;
    /** The parsed members by array name, unmodifiable, in archive order. */
    private final Map<String, NpyFile> arrays;
    /** How every member is stored, unmodifiable, in archive order. */
    private final List<NpzEntry> entries;

    /**
     * Wraps the validated members.
     *
     * @param source  the archive path
     * @param arrays  the members by array name
     * @param entries how every member is stored, in archive order
     */
    private NpzFile(String source, Map<String, NpyFile> arrays, List<NpzEntry> entries) {
        this.source = source;
        this.arrays = arrays;
        this.entries = entries;
    }

    /**
     * Reads and validates {@code path} with the default member size cap ({@link #DEFAULT_MAX_MEMBER_BYTES}).
     *
     * @param path  the archive
     * @param owner owner of the inflated members; they stay valid until it is closed
     * @return the validated archive
     * @throws FormatException if the archive or a member is malformed (see the class documentation)
     * @throws IOException     if the file cannot be read
     */
    public static NpzFile open(Path path, TensorArena owner) throws IOException {
        return open(path, owner, DEFAULT_MAX_MEMBER_BYTES);
    }

    /**
     * Reads and validates {@code path}, refusing members larger than {@code maxMemberBytes} uncompressed. Every member
     * is inflated into {@code owner} before this returns; the archive file is closed on return.
     *
     * @param path           the archive
     * @param owner          owner of the inflated members; they stay valid until it is closed
     * @param maxMemberBytes cap on one member's uncompressed size, ≥ 0
     * @return the validated archive
     * @throws FormatException          if the archive or a member is malformed (see the class documentation)
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if {@code maxMemberBytes} is negative
     */
    public static NpzFile open(Path path, TensorArena owner, long maxMemberBytes) throws IOException {
        if (maxMemberBytes < 0) {
            throw new IllegalArgumentException("negative member size cap " + maxMemberBytes);
        }
        String source = path.toString();
        long archiveBytes = Files.size(path);
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new FormatException(source + ": not a readable ZIP archive: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new FormatException(source + ": not a readable ZIP archive: a header runs past the end of the file",
                    e);
        }
        try (zip) {
            List<ZipEntry> entries = new ArrayList<>();
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                if (entries.size() == MAX_MEMBERS) {
                    throw fail(source, "more than " + MAX_MEMBERS + " members");
                }
                entries.add(all.nextElement());
            }
            Map<String, NpyFile> arrays = new LinkedHashMap<>();
            for (ZipEntry entry : entries) {
                String name = arrayName(source, entry);
                if (arrays.containsKey(name)) {
                    throw fail(source, "duplicate member '" + entry.getName() + "'");
                }
                arrays.put(name, null);
            }
            List<NpzEntry> layout = new ArrayList<>(entries.size());
            for (ZipEntry entry : entries) {
                String name = arrayName(source, entry);
                MemorySegment bytes = inflate(zip, entry, owner, maxMemberBytes, archiveBytes, source);
                arrays.put(name, NpyFile.parse(bytes, source + "!" + entry.getName()));
                layout.add(new NpzEntry(name, entry.getName(), entry.getMethod() == ZipEntry.DEFLATED,
                        entry.getCompressedSize(), entry.getSize()));
            }
            return new NpzFile(source, Collections.unmodifiableMap(arrays), List.copyOf(layout));
        } catch (ZipException e) {
            throw new FormatException(source + ": corrupt ZIP data: " + e.getMessage(), e);
        }
    }

    /**
     * Array names (member names without {@code .npy}), in archive order.
     *
     * @return an unmodifiable view of the names
     */
    public Set<String> names() {
        return arrays.keySet();
    }

    /**
     * Whether an array called {@code name} exists.
     *
     * @param name an array name, without {@code .npy}
     * @return true if the archive has the member {@code name + ".npy"}
     */
    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    /**
     * The array stored as member {@code name + ".npy"}.
     *
     * @param name an array name, without {@code .npy}
     * @return the parsed member, whose data lives in the owner arena
     * @throws IllegalArgumentException if there is no such member
     */
    public NpyFile array(String name) {
        NpyFile array = arrays.get(name);
        if (array == null) {
            throw new IllegalArgumentException(source + ": no array '" + name + "'");
        }
        return array;
    }

    /**
     * How every member is stored (compression and sizes), in archive order, the same order as {@link #names()}.
     *
     * @return an unmodifiable list with one entry per member
     */
    public List<NpzEntry> entries() {
        return entries;
    }

    /**
     * The archive path used in messages.
     *
     * @return the path as given to {@link #open}
     */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "NpzFile[" + source + ", " + arrays.keySet() + "]";
    }

    /**
     * The array name of a member: its name without {@code .npy}.
     *
     * @param source the archive path, for messages
     * @param entry  the member
     * @return the name without the suffix
     * @throws FormatException if the member is a directory or not a {@code .npy} file with a non-empty stem
     */
    private static String arrayName(String source, ZipEntry entry) throws FormatException {
        String member = entry.getName();
        if (entry.isDirectory() || !member.endsWith(SUFFIX) || member.length() == SUFFIX.length()) {
            throw fail(source, "member '" + member + "' is not a .npy file");
        }
        return member.substring(0, member.length() - SUFFIX.length());
    }

    /**
     * Inflates one member into a new 64-byte aligned segment of {@code owner}, after checking its declared sizes
     * against the cap, the archive size and deflate's largest ratio, and verifies its CRC-32.
     *
     * @param zip            the open archive
     * @param entry          the member
     * @param owner          where the bytes go
     * @param maxMemberBytes cap on the uncompressed size
     * @param archiveBytes   size of the archive file
     * @param source         the archive path, for messages
     * @return a segment of exactly the declared uncompressed size
     * @throws FormatException if a size is unknown or implausible, the data is shorter or longer than declared, the
     *                         compressed data is truncated, or the CRC-32 does not match
     * @throws IOException     if the archive cannot be read
     */
    private static MemorySegment inflate(ZipFile zip, ZipEntry entry, TensorArena owner, long maxMemberBytes,
            long archiveBytes, String source) throws IOException {
        long size = entry.getSize();
        if (size < 0) {
            throw fail(source, "member '" + entry.getName() + "' has no recorded uncompressed size");
        }
        if (size > maxMemberBytes) {
            throw fail(source, "member '" + entry.getName() + "' has " + size + " bytes uncompressed, above the cap "
                    + "of " + maxMemberBytes);
        }
        long compressed = entry.getCompressedSize();
        if (compressed > archiveBytes) {
            throw fail(source, "member '" + entry.getName() + "' claims " + compressed + " compressed bytes in an "
                    + "archive of " + archiveBytes + " bytes");
        }
        if (compressed >= 0 && size > compressed * MAX_DEFLATE_RATIO + 1024) {
            throw fail(source, "member '" + entry.getName() + "' claims " + size + " bytes from " + compressed
                    + " compressed bytes, more than deflate can produce");
        }
        MemorySegment target = owner.arena().allocate(Math.max(size, 1), Layouts.ALIGNMENT_BYTES).asSlice(0, size);
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, Math.max(size, 1))];
        long filled = 0;
        CRC32 checksum = new CRC32();
        try (InputStream in = zip.getInputStream(entry)) {
            while (filled < size) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, size - filled));
                if (read < 0) {
                    throw fail(source, "member '" + entry.getName() + "' ends after " + filled + " of " + size
                            + " bytes");
                }
                checksum.update(chunk, 0, read);
                MemorySegment.copy(chunk, 0, target, ValueLayout.JAVA_BYTE, filled, read);
                filled += read;
            }
            if (in.read() >= 0) {
                throw fail(source, "member '" + entry.getName() + "' holds more than its declared " + size
                        + " bytes");
            }
        } catch (EOFException e) {
            throw new FormatException(source + ": member '" + entry.getName() + "' has truncated compressed data", e);
        }
        if (entry.getCrc() >= 0 && checksum.getValue() != entry.getCrc()) {
            throw fail(source, "member '" + entry.getName() + "' fails its CRC-32 check (recorded "
                    + Long.toHexString(entry.getCrc()) + ", data " + Long.toHexString(checksum.getValue()) + ")");
        }
        return target;
    }

    /**
     * An exception whose message is {@code "SOURCE: PROBLEM"}.
     *
     * @param source  the archive path
     * @param problem what is wrong
     * @return the exception, for the caller to throw
     */
    private static FormatException fail(String source, String problem) {
        return new FormatException(source + ": " + problem);
    }
}
