package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of {@link SafetensorsFile#parse}: every mutant either parses (and then every tensor reads
 * back without error) or throws {@link SafetensorsFormatException}; any other outcome fails naming seed and mutation.
 */
final class SafetensorsFuzzTest {

    private static final long SEED = 0x5AE4_0001L;
    private static final int MUTANTS = 12_000;

    @Test
    void shouldOnlyThrowFormatExceptionWhenParsingMutatedFiles() {
        byte[][] bases = {
            SafetensorsRoundTripTest.sample(SEED).toByteArray(),
            new SafetensorsWriter().addFloats("x", new long[] {2, 2}, new float[] {1, 2, 3, 4}).toByteArray(),
            SafetensorsMalformedTest.raw("{\"__metadata__\":{\"test\":\"a\"},"
                    + "\"f\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,24]}}", 24),
        };
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            long seed = SEED + i;
            Random random = new Random(seed);
            byte[] base = bases[random.nextInt(bases.length)];
            long headerEnd = Math.min(base.length, 8 + MemorySegment.ofArray(base).get(ElementCodec.I64, 0));
            StringBuilder description = new StringBuilder();
            byte[] mutant = Mutations.mutate(base, (int) headerEnd, random, description);
            try {
                SafetensorsFile file = SafetensorsFile.parse(MemorySegment.ofArray(mutant), "mutant");
                for (SafetensorsTensor tensor : file.tensors()) {
                    file.segment(tensor.name());
                    file.readFloats(tensor.name());
                    file.readDoubles(tensor.name());
                    if (!tensor.dtype().isFloatingPoint()) {
                        file.readLongs(tensor.name());
                    }
                }
                accepted++;
            } catch (SafetensorsFormatException expected) {
                rejected++;
            } catch (Throwable t) {
                fail("seed " + seed + ", mutations " + description + ": unexpected " + t, t);
            }
        }
        assertTrue(rejected > MUTANTS / 2, "too few mutants rejected: " + rejected + " (accepted " + accepted + ")");
        assertTrue(accepted > 0, "no mutant parsed, so the read-back path was never fuzzed");
    }
}
