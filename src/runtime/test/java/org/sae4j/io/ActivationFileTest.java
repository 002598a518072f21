package org.sae4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.TensorArena;

final class ActivationFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadRowBlocksOfNpyAndNamedSafetensorsTensors() throws IOException {
        float[] values = {1, 2, 3, 4, 5, 6, -0.5f, 0.25f};
        Path npy = dir.resolve("x.npy");
        NpyWriter.writeFloats(npy, new long[] {4, 2}, values);
        Path tensors = dir.resolve("x.safetensors");
        // bf16 holds these small dyadic values exactly
        new SafetensorsWriter().addFloats("resid", SafetensorsDType.BF16, new long[] {2, 4}, values)
                .addFloats("other", new long[] {1}, new float[] {9}).write(tensors);
        try (TensorArena arena = new TensorArena("test")) {
            ActivationFile x = ActivationFile.open(npy, null, arena);
            assertEquals(4, x.rows());
            assertEquals(2, x.cols());
            assertArrayEquals(new float[] {3, 4, 5, 6}, x.readRows(1, 2));
            ActivationFile named = ActivationFile.open(tensors, "resid", arena);
            assertEquals(SafetensorsDType.BF16, named.dtype());
            assertArrayEquals(new float[] {5, 6, -0.5f, 0.25f}, named.readRows(1, 1));
            assertThrows(IllegalArgumentException.class, () -> x.readRows(3, 2));
        }
    }

    @Test
    void shouldHandOutF32RowsAsAViewOfTheMappingAndWidenOtherTypesIntoScratch() throws IOException {
        float[] values = {1, 2, 3, 4, 5, 6, -0.5f, 0.25f};
        Path npy = dir.resolve("f32.npy");
        NpyWriter.writeFloats(npy, new long[] {4, 2}, values);
        Path bf16 = dir.resolve("bf16.safetensors");
        new SafetensorsWriter().addFloats("x", SafetensorsDType.BF16, new long[] {4, 2}, values).write(bf16);
        try (TensorArena arena = new TensorArena("test")) {
            MemorySegment scratch = arena.allocateFloats(4);
            DenseMatrix view = ActivationFile.open(npy, null, arena).rows(1, 2, scratch);
            assertNotSame(scratch, view.segment());
            assertTrue(view.segment().isReadOnly(), "a view of a read-only mapping");
            assertEquals(2, view.rows());
            assertEquals(2, view.cols());
            assertArrayEquals(new float[] {3, 4, 5, 6}, view.segment().toArray(Layouts.F32));
            DenseMatrix widened = ActivationFile.open(bf16, null, arena).rows(2, 2, scratch);
            assertSame(scratch, widened.segment());
            assertEquals(DType.F32, widened.dtype());
            assertArrayEquals(new float[] {5, 6, -0.5f, 0.25f}, widened.segment().toArray(Layouts.F32));
            IllegalArgumentException small = assertThrowsExactly(IllegalArgumentException.class,
                    () -> ActivationFile.open(bf16, null, arena).rows(0, 3, scratch));
            assertTrue(small.getMessage().contains("do not fit"), small.getMessage());
        }
    }

    @Test
    void shouldCopyOrWidenRowsIntoTheCallersWritableMemory() throws IOException {
        float[] values = {1, 2, 3, 4, 5, 6, -0.5f, 0.25f};
        Path npy = dir.resolve("copy.npy");
        NpyWriter.writeFloats(npy, new long[] {4, 2}, values);
        Path bf16 = dir.resolve("copy.safetensors");
        new SafetensorsWriter().addFloats("x", SafetensorsDType.BF16, new long[] {4, 2}, values).write(bf16);
        try (TensorArena arena = new TensorArena("test")) {
            MemorySegment destination = arena.allocateFloats(4);
            assertSame(destination, ActivationFile.open(npy, null, arena).copyRows(1, 2, destination));
            assertArrayEquals(new float[] {3, 4, 5, 6}, destination.toArray(Layouts.F32));
            destination.fill((byte) 0);
            assertSame(destination, ActivationFile.open(bf16, null, arena).copyRows(2, 2, destination));
            assertArrayEquals(new float[] {5, 6, -0.5f, 0.25f}, destination.toArray(Layouts.F32));
        }
    }

    @Test
    void shouldRejectWrongRankAmbiguousTensorsAndWrongWidth() throws IOException {
        Path rank1 = dir.resolve("v.npy");
        NpyWriter.writeFloats(rank1, new long[] {3}, new float[3]);
        Path tensors = dir.resolve("two.safetensors");
        new SafetensorsWriter().addFloats("a", new long[] {1, 2}, new float[2])
                .addFloats("b", new long[] {1, 2}, new float[2]).write(tensors);
        try (TensorArena arena = new TensorArena("test")) {
            String rank = assertThrows(IllegalArgumentException.class,
                    () -> ActivationFile.open(rank1, null, arena)).getMessage();
            assertTrue(rank.contains("expected a 2-D matrix"), rank);
            String ambiguous = assertThrows(IllegalArgumentException.class,
                    () -> ActivationFile.open(tensors, null, arena)).getMessage();
            assertTrue(ambiguous.contains("name one with --tensor"), ambiguous);
            String missing = assertThrows(IllegalArgumentException.class,
                    () -> ActivationFile.open(tensors, "c", arena)).getMessage();
            assertTrue(missing.contains("no tensor 'c'"), missing);
            ActivationFile a = ActivationFile.open(tensors, "a", arena);
            String width = assertThrows(IllegalArgumentException.class, () -> a.requireCols(3, "d_in")).getMessage();
            assertTrue(width.endsWith("has rows of width 2, d_in is 3"), width);
        }
    }

    @Test
    void shouldStreamAnNpyThatTheReaderLoads() throws IOException {
        Path path = dir.resolve("stream.npy");
        try (NpyStreamWriter writer = NpyStreamWriter.create(path, 3, 2)) {
            writer.append(new float[] {1, 2, 3, 4, 99}, 2);
            writer.append(new float[] {5, 6}, 1);
        }
        try (TensorArena arena = new TensorArena("test")) {
            NpyFile file = NpyFile.open(path, arena);
            assertArrayEquals(new long[] {3, 2}, file.shapeArray());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, file.readFloats());
            assertEquals(0, file.dataStart() % 64);
        }
        NpyStreamWriter short1 = NpyStreamWriter.create(dir.resolve("short.npy"), 2, 2);
        short1.append(new float[] {1, 2}, 1);
        assertThrows(IllegalStateException.class, short1::close);
    }
}
