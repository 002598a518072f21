package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.TensorArena;

/**
 * Seeded mutation fuzzing of {@link NpzFile#open}: every mutant either opens (and then every array reads back without
 * error) or throws {@link FormatException}; any other outcome fails naming seed and mutation. Besides byte-level
 * damage the mutations aim at the ZIP structure: local and central header fields, the end record, the inner
 * {@code .npy} header of stored members and the deflate streams of compressed ones.
 */
final class NpzFuzzTest {

    private static final long SEED = 0x5AE4_0003L;
    private static final int MUTANTS = 12_000;

    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int LOCAL_HEADER_BYTES = 30;
    private static final int CENTRAL_HEADER_BYTES = 46;

    /** Offsets and widths of the local header fields a reader trusts: version, flags, method, CRC, sizes, lengths. */
    private static final int[][] LOCAL_FIELDS = {{4, 2}, {6, 2}, {8, 2}, {14, 4}, {18, 4}, {22, 4}, {26, 2}, {28, 2}};
    /** The same for central headers, plus comment length, disk number, attributes and local header offset. */
    private static final int[][] CENTRAL_FIELDS = {{6, 2}, {8, 2}, {10, 2}, {16, 4}, {20, 4}, {24, 4}, {28, 2},
        {30, 2}, {32, 2}, {34, 2}, {38, 4}, {42, 4}};
    /** End record: disk numbers, entry counts, directory size and offset, comment length. */
    private static final int[][] END_FIELDS = {{4, 2}, {6, 2}, {8, 2}, {10, 2}, {12, 4}, {16, 4}, {20, 2}};

    @TempDir
    Path dir;

    /** Where one member lives in an image: its local header, central header and data. */
    private record Member(int localAt, int centralAt, int dataAt, int dataBytes, boolean stored) {
    }

    private static Map<String, byte[]> members() {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("W_enc.npy", NpyWriter.toByteArray(new long[] {3, 4},
                new float[] {1, -2, 3.5f, 0, 1e-20f, 6, 7, -8, 9, 10, 11, 0.125f}));
        members.put("b_dec.npy", NpyWriter.toByteArray(new long[] {4}, new float[] {0.25f, -1, 0, 1e30f}));
        members.put("scalar.npy", NpyWriter.toByteArray(new long[] {}, new float[] {7}));
        return members;
    }

    @Test
    void shouldReadEveryArrayBackWhenTheArchiveIsUnmutated() throws IOException {
        for (boolean deflate : new boolean[] {false, true}) {
            Path file = write(NpzFileTest.zip(members(), deflate));
            try (TensorArena arena = new TensorArena("npz")) {
                NpzFile npz = NpzFile.open(file, arena);
                assertEquals(List.of("W_enc", "b_dec", "scalar"), List.copyOf(npz.names()));
                assertArrayEquals(new long[] {3, 4}, npz.array("W_enc").shapeArray());
                assertArrayEquals(new float[] {1, -2, 3.5f, 0, 1e-20f, 6, 7, -8, 9, 10, 11, 0.125f},
                    npz.array("W_enc").readFloats());
                assertArrayEquals(new float[] {0.25f, -1, 0, 1e30f}, npz.array("b_dec").readFloats());
                assertArrayEquals(new float[] {7}, npz.array("scalar").readFloats());
            }
        }
    }

    @Test
    void shouldRejectAMemberWhoseDataDoesNotMatchItsCrc() throws IOException {
        byte[] image = NpzFileTest.zip(Map.of("x.npy", NpyWriter.toByteArray(new long[] {2}, new float[] {1, 2})),
                false);
        Member member = layout(image).getFirst();
        image[member.dataAt() + member.dataBytes() - 1] ^= 0x01;
        Path file = write(image);
        try (TensorArena arena = new TensorArena("npz")) {
            FormatException error = assertThrowsExactly(FormatException.class, () -> NpzFile.open(file, arena));
            assertTrue(error.getMessage().contains("member 'x.npy' fails its CRC-32 check"), error.getMessage());
        }
    }

    @Test
    void shouldRejectACompressedSizeLargerThanTheArchive() throws IOException {
        byte[] image = NpzFileTest.zip(Map.of("x.npy", NpyWriter.toByteArray(new long[] {2}, new float[] {1, 2})),
                false);
        Member member = layout(image).getFirst();
        // Both sizes claim 3 GiB: the ratio bound alone would then allow a multi-gigabyte allocation.
        put(image, member.centralAt() + 20, 4, 3L << 30);
        put(image, member.centralAt() + 24, 4, 3L << 30);
        Path file = write(image);
        try (TensorArena arena = new TensorArena("npz")) {
            FormatException error = assertThrowsExactly(FormatException.class, () -> NpzFile.open(file, arena));
            assertTrue(error.getMessage().contains("member 'x.npy' claims 3221225472 compressed bytes in an archive "
                + "of " + image.length + " bytes"), error.getMessage());
        }
    }

    @Test
    void shouldOnlyThrowFormatExceptionWhenOpeningMutatedArchives() throws IOException {
        byte[][] bases = {
            NpzFileTest.zip(members(), false),
            NpzFileTest.zip(members(), true),
            NpzFileTest.zip(Map.of("a.npy", NpyWriter.toByteArray(new long[] {64}, new float[64])), true),
        };
        List<List<Member>> layouts = new ArrayList<>();
        for (byte[] base : bases) {
            layouts.add(layout(base));
        }
        Path file = dir.resolve("params.npz");
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED + i;
            Random random = new Random(seed);
            int which = random.nextInt(bases.length);
            StringBuilder description = new StringBuilder("base ").append(which).append(": ");
            byte[] mutant = mutate(bases[which], layouts.get(which), random, description);
            Files.write(file, mutant);
            // The default member cap on purpose: only the archive's own size may bound what a mutant allocates.
            try (TensorArena arena = new TensorArena("npz fuzz")) {
                NpzFile npz = NpzFile.open(file, arena);
                for (String name : npz.names()) {
                    NpyFile array = npz.array(name);
                    array.readFloats();
                    array.readDoubles();
                    if (!array.dtype().isFloatingPoint()) {
                        array.readLongs();
                    }
                }
                accepted++;
            } catch (FormatException expected) {
                rejected++;
            } catch (Throwable t) {
                fail("seed " + seed + ", mutations " + description + ": unexpected " + t, t);
            }
        }
        assertTrue(rejected > MUTANTS / 2, "too few mutants rejected: " + rejected + " (accepted " + accepted + ")");
        assertTrue(accepted > 0, "no mutant opened, so the read-back path was never fuzzed");
    }

    private Path write(byte[] image) throws IOException {
        Path file = dir.resolve("params.npz");
        Files.write(file, image);
        return file;
    }

    /** One mutation family per mutant, chosen by the seed; the description names every change. */
    private static byte[] mutate(byte[] base, List<Member> members, Random random, StringBuilder description) {
        byte[] bytes = base.clone();
        Member member = members.get(random.nextInt(members.size()));
        switch (random.nextInt(7)) {
            case 0 -> {
                return Mutations.mutate(base, base.length, random, description);
            }
            case 1 -> overwriteField(bytes, member.localAt(), LOCAL_FIELDS, "local", random, description);
            case 2 -> overwriteField(bytes, member.centralAt(), CENTRAL_FIELDS, "central", random, description);
            case 3 -> overwriteField(bytes, endAt(bytes), END_FIELDS, "end", random, description);
            case 4 -> {
                // Damage in the data region: the .npy header of a stored member or the deflate stream.
                int span = member.stored() ? Math.min(member.dataBytes(), 128) : member.dataBytes();
                int steps = 1 + random.nextInt(3);
                for (int s = 0; s < steps; s++) {
                    int at = member.dataAt() + random.nextInt(span);
                    if (random.nextBoolean()) {
                        int bit = random.nextInt(8);
                        bytes[at] ^= (byte) (1 << bit);
                        description.append("data: flip bit ").append(bit).append(" at ").append(at).append("; ");
                    } else {
                        byte value = (byte) random.nextInt(256);
                        bytes[at] = value;
                        description.append("data: set ").append(at).append(" to ").append(value).append("; ");
                    }
                }
                if (random.nextBoolean()) {
                    // With a matching CRC the damage reaches the .npy parser (stored) or the inflater's output check.
                    fixCrc(bytes, member);
                    description.append("CRC recomputed; ");
                }
            }
            case 5 -> {
                // Truncate the member's data in place by zeroing its tail, or cut the whole image inside it.
                int keep = random.nextInt(member.dataBytes());
                if (random.nextBoolean()) {
                    Arrays.fill(bytes, member.dataAt() + keep, member.dataAt() + member.dataBytes(),
                            (byte) 0);
                    description.append("zero member data from ").append(keep).append("; ");
                } else {
                    bytes = Arrays.copyOf(bytes, member.dataAt() + keep);
                    description.append("truncate to ").append(member.dataAt() + keep).append("; ");
                }
            }
            default -> {
                // Byte-level damage focused on the central directory and end record.
                int directory = (int) get(bytes, endAt(bytes) + 16, 4);
                byte[] tail = Arrays.copyOfRange(bytes, directory, bytes.length);
                StringBuilder inner = new StringBuilder();
                byte[] damaged = Mutations.mutate(tail, tail.length, random, inner);
                byte[] joined = Arrays.copyOf(bytes, directory + damaged.length);
                System.arraycopy(damaged, 0, joined, directory, damaged.length);
                description.append("central directory from ").append(directory).append(": ").append(inner);
                return joined;
            }
        }
        return bytes;
    }

    private static void overwriteField(byte[] bytes, int headerAt, int[][] fields, String header, Random random,
            StringBuilder description) {
        int[] field = fields[random.nextInt(fields.length)];
        int at = headerAt + field[0];
        int width = field[1];
        long original = get(bytes, at, width);
        long max = width == 2 ? 0xFFFFL : 0xFFFF_FFFFL;
        long value = switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> max;
            case 2 -> original + 1;
            case 3 -> original - 1;
            case 4 -> original * 2 + random.nextInt(64);
            case 5 -> bytes.length + random.nextInt(3) - 1;
            case 6 -> width == 2 ? 0x8000 : 0x8000_0000L;
            default -> random.nextLong() & max;
        } & max;
        put(bytes, at, width, value);
        description.append(header).append(" header field +").append(field[0]).append(" at ").append(at)
                .append(": ").append(original).append(" -> ").append(value).append("; ");
    }

    private static void fixCrc(byte[] bytes, Member member) {
        CRC32 crc = new CRC32();
        crc.update(bytes, member.dataAt(), member.dataBytes());
        if (member.stored()) {
            put(bytes, member.localAt() + 14, 4, crc.getValue());
        }
        put(bytes, member.centralAt() + 16, 4, crc.getValue());
    }

    /** Members of an image written by {@link NpzFileTest#zip}, found through its central directory. */
    private static List<Member> layout(byte[] image) {
        int end = endAt(image);
        int count = (int) get(image, end + 10, 2);
        int central = (int) get(image, end + 16, 4);
        List<Member> members = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            assertEquals(CENTRAL_SIGNATURE, (int) get(image, central, 4), "central header " + m);
            int local = (int) get(image, central + 42, 4);
            assertEquals(LOCAL_SIGNATURE, (int) get(image, local, 4), "local header " + m);
            int dataAt = local + LOCAL_HEADER_BYTES + (int) get(image, local + 26, 2) + (int) get(image, local + 28, 2);
            int dataBytes = (int) get(image, central + 20, 4);
            members.add(new Member(local, central, dataAt, dataBytes, get(image, central + 10, 2) == 0));
            central += CENTRAL_HEADER_BYTES + (int) get(image, central + 28, 2) + (int) get(image, central + 30, 2)
                    + (int) get(image, central + 32, 2);
        }
        return members;
    }

    /** The end record of an unmutated image, which carries no comment; after damage the search may still find it. */
    private static int endAt(byte[] image) {
        for (int at = image.length - 22; at >= 0; at--) {
            if ((int) get(image, at, 4) == END_SIGNATURE) {
                return at;
            }
        }
        throw new IllegalStateException("no end record");
    }

    private static long get(byte[] bytes, int at, int width) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return width == 2 ? Short.toUnsignedLong(buffer.getShort(at)) : Integer.toUnsignedLong(buffer.getInt(at));
    }

    private static void put(byte[] bytes, int at, int width, long value) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 2) {
            buffer.putShort(at, (short) value);
        } else {
            buffer.putInt(at, (int) value);
        }
    }
}
