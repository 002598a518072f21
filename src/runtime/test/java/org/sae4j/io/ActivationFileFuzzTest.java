package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.TensorArena;

/**
 * Seeded mutation fuzzing of {@link ActivationFile#open} and {@link ActivationFile#readRows}. The container bytes are
 * parsed by {@link NpyFile} and {@link SafetensorsFile} (fuzzed on their own); what this class adds on top is the
 * interpretation of the parsed shape and dtype as a matrix and the row arithmetic of {@code readRows}. Every mutant
 * either opens, and then every row reads back without any exception, or {@code open} throws one of its documented
 * exceptions: {@link FormatException} for a broken container, {@link IllegalArgumentException} for a valid container
 * that is not a 2-D floating-point matrix or does not hold the named tensor.
 *
 * <p>Fewer mutants than the container fuzz tests: each one costs a file write and a mapping (about half a
 * millisecond), and the layer under test has a few branches, not a parser.
 */
final class ActivationFileFuzzTest {

    private static final long SEED = 0x5AE4_0005L;
    private static final int MUTANTS = 4_000;
    private static final int ROWS_PER_READ = 3;

    @TempDir
    Path dir;

    /** A base file: its bytes, the extension that selects the reader, and the tensor to ask for. */
    private record Base(byte[] bytes, String extension, String tensor) {
    }

    @Test
    void shouldOnlyThrowDocumentedExceptionsWhenOpeningMutatedActivationFiles() throws IOException {
        float[] twelve = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Base[] bases = {
            new Base(NpyWriter.toByteArray(new long[] {4, 3}, twelve), ".npy", null),
            new Base(NpyWriter.toByteArray(new long[] {0, 5}, new float[0]), ".npy", null),
            new Base(NpyFileTest.npy(1, NpyFileTest.dict("<f2", false, "(3, 2)"), new byte[12]), ".npy", null),
            new Base(new SafetensorsWriter().addFloats("x", SafetensorsDType.BF16, new long[] {2, 6}, twelve)
                    .toByteArray(), ".safetensors", null),
            new Base(new SafetensorsWriter().addFloats("resid", SafetensorsDType.F64, new long[] {6, 2}, twelve)
                    .addFloats("other", new long[] {3}, new float[3]).toByteArray(), ".safetensors", "resid"),
        };
        int opened = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED + i;
            Random random = new Random(seed);
            Base base = bases[random.nextInt(bases.length)];
            StringBuilder description = new StringBuilder();
            byte[] mutant = Mutations.mutate(base.bytes(), headerEnd(base), random, description);
            Path file = dir.resolve("activations" + base.extension());
            Files.write(file, mutant);
            try (TensorArena arena = new TensorArena("activation fuzz")) {
                ActivationFile matrix;
                try {
                    matrix = ActivationFile.open(file, base.tensor(), arena);
                } catch (FormatException | IllegalArgumentException expected) {
                    rejected++;
                    continue;
                }
                readEveryRow(matrix);
                opened++;
            } catch (Throwable t) {
                fail("seed " + seed + ", mutations " + description + ": unexpected " + t, t);
            }
        }
        assertTrue(rejected > MUTANTS / 2, "too few mutants rejected: " + rejected + " (opened " + opened + ")");
        assertTrue(opened > 0, "no mutant opened, so readRows was never fuzzed");
    }

    /**
     * Reads the matrix in blocks, the last one short, and checks that each block has the promised length. A matrix of
     * zero-width rows may claim up to 2^63 rows without holding a byte, so only its first and last blocks are read.
     */
    private static void readEveryRow(ActivationFile matrix) {
        long rows = matrix.rows();
        for (long first = 0; first < rows; first += ROWS_PER_READ) {
            if (matrix.cols() == 0 && first == ROWS_PER_READ) {
                first = Math.max(first, rows - ROWS_PER_READ);
            }
            int count = (int) Math.min(ROWS_PER_READ, rows - first);
            assertEquals((long) count * matrix.cols(), matrix.readRows(first, count).length, "rows from " + first);
        }
        assertEquals(0, matrix.readRows(rows, 0).length, "empty read at the end");
    }

    /** Where the header ends, so that most mutations land in it. */
    private static int headerEnd(Base base) {
        byte[] bytes = base.bytes();
        if (base.extension().equals(".safetensors")) {
            return (int) (8 + MemorySegment.ofArray(bytes).get(ElementCodec.I64, 0));
        }
        return bytes.length - 16;
    }
}
