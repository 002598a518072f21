package org.sae4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sae4j.tensor.Layouts;
import org.sae4j.tensor.SparseCode;

final class KernelsValidationTest {

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment small = arena.allocate(16L * Float.BYTES, 64);
    private final MemorySegment big = arena.allocate(1024L * Float.BYTES, 64);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private static void assertRejected(String message, Executable call) {
        IllegalArgumentException e = assertThrowsExactly(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldRejectANegativeLength() {
        assertRejected("n must be >= 0, got -1", () -> Kernels.dot(-1, small, 0, small, 0));
    }

    @Test
    void shouldRejectAVectorPastTheEndOfItsSegment() {
        assertRejected("y: elements [4, 20) exceed a segment of 16 elements",
                () -> Kernels.axpy(16, 1f, big, 0, small, 4));
    }

    @Test
    void shouldRejectAMatrixPastTheEndOfItsSegment() {
        assertRejected("a: 5x4 matrix (ld 4, offset 0) exceeds a segment of 16 elements",
                () -> Kernels.gemv(5, 4, 1f, small, 0, 4, big, 0, 0f, big, 100));
    }

    @Test
    void shouldRejectALeadingDimensionSmallerThanTheColumns() {
        assertRejected("b: leading dimension 3 < 4 columns",
                () -> Kernels.gemm(2, 4, 2, 1f, big, 0, 2, big, 100, 3, 0f, big, 200, 4));
    }

    @Test
    void shouldRejectAnOutputOverlappingAnInput() {
        assertRejected("c overlaps input a: outputs must not share memory with inputs",
                () -> Kernels.gemm(4, 4, 4, 1f, big, 0, 4, big, 100, 4, 0f, big, 8, 4));
    }

    @Test
    void shouldRejectAPartlyOverlappingElementwiseOutput() {
        assertRejected("y partly overlaps x: it must be the same elements or disjoint",
                () -> Kernels.biasRelu(8, big, 0, big, 100, big, 1));
    }

    @Test
    void shouldAcceptAnElementwiseOutputThatIsItsInput() {
        big.setAtIndex(Layouts.F32, 0, -2f);
        big.setAtIndex(Layouts.F32, 100, 1f);
        Kernels.biasRelu(1, big, 0, big, 100, big, 0);
        assertEquals(0f, big.getAtIndex(Layouts.F32, 0));
    }

    @Test
    void shouldRejectNanThresholds() {
        small.setAtIndex(Layouts.F32, 3, Float.NaN);
        assertRejected("theta contains NaN: JumpReLU thresholds must be numbers",
                () -> Kernels.biasJumpRelu(8, big, 0, big, 100, small, 0, big, 200));
    }

    @Test
    void shouldRejectANegativeOrNanLambda() {
        assertRejected("lambda must be finite and >= 0, got -0.5",
                () -> Kernels.softThreshold(4, -0.5f, big, 0, big, 0));
        assertRejected("lambda must be finite and >= 0, got NaN",
                () -> Kernels.softThresholdNonNegative(4, Float.NaN, big, 0, big, 0));
    }

    @Test
    void shouldRejectANegativeK() {
        assertRejected("k must be >= 0, got -1", () -> Kernels.topK(4, big, 0, -1, new int[4], new float[4], 0));
    }

    @Test
    void shouldRejectTopKOutputArraysThatAreTooShort() {
        assertRejected("output arrays too short: need 4 entries from 1, have 4",
                () -> Kernels.topK(8, big, 0, 4, new int[4], new float[4], 1));
    }

    @Test
    void shouldRejectGatedReluParametersPastTheEndOfTheirSegment() {
        assertRejected("magnitudeScale: elements [10, 18) exceed a segment of 16 elements",
                () -> Kernels.gatedRelu(8, big, 0, big, 100, small, 10, big, 300));
        assertRejected("magnitudeBias: negative offset -1",
                () -> Kernels.gatedRelu(8, big, 0, big, 100, big, 200, big, -1));
        assertRejected("z: elements [1020, 1028) exceed a segment of 1024 elements",
                () -> Kernels.gatedRelu(8, big, 1020, big, 100, big, 200, big, 300));
    }

    @Test
    void shouldRejectAGatedReluParameterOverlappingTheCodes() {
        assertRejected("z overlaps input gateBias: outputs must not share memory with inputs",
                () -> Kernels.gatedRelu(8, big, 0, big, 4, big, 100, big, 200));
        assertRejected("z overlaps input magnitudeBias: outputs must not share memory with inputs",
                () -> Kernels.gatedRelu(8, big, 100, big, 0, big, 200, big, 100));
    }

    @Test
    void shouldRejectANullGatedReluParameterByName() {
        NullPointerException e = assertThrowsExactly(NullPointerException.class,
                () -> Kernels.gatedRelu(4, big, 0, big, 100, null, 0, big, 200));
        assertEquals("magnitudeScale", e.getMessage());
    }

    @Test
    void shouldRejectGroupCountsThatDoNotSplitTheVectorEvenly() {
        assertRejected("groups = 3 must split n = 10 into non-empty groups of equal width",
                () -> Kernels.groupMax(10, 3, big, 0, new int[3], new float[3], 0));
        assertRejected("groups = 4 must split n = 2 into non-empty groups of equal width",
                () -> Kernels.groupMax(2, 4, big, 0, new int[4], new float[4], 0));
        assertRejected("groups = 0 must split n = 4 into non-empty groups of equal width",
                () -> Kernels.groupMax(4, 0, big, 0, new int[4], new float[4], 0));
        assertRejected("groups must be >= 0, got -1",
                () -> Kernels.groupMax(4, -1, big, 0, new int[4], new float[4], 0));
    }

    @Test
    void shouldRejectGroupMaxInputsAndOutputsThatAreTooShort() {
        assertRejected("x: elements [4, 20) exceed a segment of 16 elements",
                () -> Kernels.groupMax(16, 4, small, 4, new int[4], new float[4], 0));
        assertRejected("output arrays too short: need 4 entries from 1, have 4",
                () -> Kernels.groupMax(8, 4, big, 0, new int[4], new float[5], 1));
        assertRejected("output arrays too short: need 2 entries from -1, have 4",
                () -> Kernels.groupMax(8, 2, big, 0, new int[4], new float[4], -1));
        NullPointerException e = assertThrowsExactly(NullPointerException.class,
                () -> Kernels.groupMax(8, 2, big, 0, new int[2], null, 0));
        assertEquals("values", e.getMessage());
    }

    @Test
    void shouldAcceptNoGroupsOfAnEmptyVector() {
        int[] indices = {7};
        Kernels.groupMax(0, 0, small, 0, indices, new float[1], 0);
        assertEquals(7, indices[0]);
    }

    @Test
    void shouldRejectASparseCodeOfTheWrongWidth() {
        SparseCode code = SparseCode.withCapacity(2, 7, 8);
        assertRejected("out has 7 latents, the encoder has 8",
                () -> Kernels.encodeTopK(2, 8, 4, big, 0, 4, big, 100, 4, big, 200, 2, code));
    }

    @Test
    void shouldRejectASparseCodeWithoutRoomForTheRows() {
        SparseCode code = SparseCode.withCapacity(2, 8, 3);
        assertRejected("2 rows of 2 entries exceed the capacity of 3 entries",
                () -> Kernels.encodeTopK(2, 8, 4, big, 0, 4, big, 100, 4, big, 200, 2, code));
    }

    @Test
    void shouldRejectALatentIndexOutsideTheDictionary() {
        SparseCode code = SparseCode.withCapacity(1, 4, 1);
        code.resetFixed(1, 1);
        code.indices()[0] = 4;
        assertRejected("codes: latent index 4 at entry 0 outside [0, 4)",
                () -> Kernels.decode(code, big, 0, 8, 8, big, 100, big, 200, 8));
    }

    @Test
    void shouldRejectAdamHyperparametersOutOfRange() {
        assertRejected("betas must be in [0, 1), got 1.0, 0.999",
                () -> Kernels.adam(4, big, 0, big, 10, big, 20, big, 30, 1e-3f, 1f, 0.999f, 1e-8f, 1));
        assertRejected("step must be >= 1, got 0",
                () -> Kernels.adam(4, big, 0, big, 10, big, 20, big, 30, 1e-3f, 0.9f, 0.999f, 1e-8f, 0));
    }

    @Test
    void shouldRejectANonFiniteAlpha() {
        assertRejected("alpha must be finite, got Infinity",
                () -> Kernels.gemv(2, 2, Float.POSITIVE_INFINITY, big, 0, 2, big, 10, 0f, big, 20));
    }
}
