package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of {@link NpyFile#parse}: every mutant either parses (and then reads back without error)
 * or throws {@link NpyFormatException}; any other outcome fails naming seed and mutation.
 */
final class NpyFuzzTest {

    private static final long SEED = 0x5AE4_0002L;
    private static final int MUTANTS = 12_000;

    @Test
    void shouldOnlyThrowFormatExceptionWhenParsingMutatedFiles() {
        byte[][] bases = {
            NpyWriter.toByteArray(new long[] {3, 4}, new float[12]),
            NpyWriter.toByteArray(new long[] {}, new float[] {1f}),
            NpyFileTest.npy(2, NpyFileTest.dict("<i8", false, "(2,)"), new byte[16]),
            NpyFileTest.npy(3, NpyFileTest.dict("|b1", false, "(1, 3)"), new byte[3]),
        };
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED + i;
            Random random = new Random(seed);
            byte[] base = bases[random.nextInt(bases.length)];
            int headerEnd = base.length - 16;
            StringBuilder description = new StringBuilder();
            byte[] mutant = Mutations.mutate(base, Math.max(headerEnd, 1), random, description);
            try {
                NpyFile file = NpyFile.parse(MemorySegment.ofArray(mutant), "mutant");
                file.segment();
                file.readFloats();
                file.readDoubles();
                if (!file.dtype().isFloatingPoint()) {
                    file.readLongs();
                }
                accepted++;
            } catch (NpyFormatException expected) {
                rejected++;
            } catch (Throwable t) {
                fail("seed " + seed + ", mutations " + description + ": unexpected " + t, t);
            }
        }
        assertTrue(rejected > MUTANTS / 2, "too few mutants rejected: " + rejected + " (accepted " + accepted + ")");
        assertTrue(accepted > 0, "no mutant parsed, so the read-back path was never fuzzed");
    }
}
