package org.sae4j.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.sae4j.kernel.spi.KernelSettings;

/**
 * The species every SIMD kernel computes with, pinned as static finals so that C2 intrinsifies the Vector API.
 *
 * <p>The width is read once, when this class is initialised, from {@link KernelSettings#VECTOR_BIT_SIZE_PROP_NAME}
 * (0 or absent: the platform's preferred width). Tests load this package into separate class loaders to check 128,
 * 256 and 512 bits in one JVM; production loads it exactly once.
 */
public final class SimdSpecies {

    /** fp32 lanes. */
    public static final VectorSpecies<Float> F;

    /** int32 lanes of the same width (bf16 pairs, index vectors). */
    public static final VectorSpecies<Integer> I;

    /** int16 lanes of half the width: the bf16 source of one fp32 vector. */
    public static final VectorSpecies<Short> S_HALF;

    /** fp32 lanes per vector. */
    static final int LANES;

    static {
        int bits = KernelSettings.requestedVectorBitSize();
        int preferredBits = VectorShape.preferredShape().vectorBitSize();
        if (bits > preferredBits && !KernelSettings.emulatedWidthAllowed()) {
            throw new IllegalStateException(KernelSettings.VECTOR_BIT_SIZE_PROP_NAME + "=" + bits
                    + " exceeds this CPU's widest vector (" + preferredBits + " bits)");
        }
        F = bits == 0 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_PREFERRED.withShape(shape(bits));
        I = IntVector.SPECIES_PREFERRED.withShape(F.vectorShape());
        S_HALF = ShortVector.SPECIES_64.withShape(shape(F.vectorBitSize() / 2));
        LANES = F.length();
    }

    /**
     * Shuffles of a fixed-order lane sum: lane i takes lane i + s (mod the lane count) for s = 8, 4, 2, 1; adding a
     * vector to its shuffle for each s the lane count allows leaves the total in lane 0. Kernels write these steps
     * inline instead of {@code reduceLanes(ADD)}, whose order is unspecified and differs between the interpreter
     * (sequential) and C2 (a tree) on this JDK: a reduction would otherwise change with the JIT state and with how
     * work is split over threads. Lane-wise adds are exact IEEE operations in both, so this order is reproducible.
     * (A helper method taking the vector is not inlined into the wide GEMV blocks, which then box every vector.)
     */
    static final VectorShuffle<Float> FOLD_8;
    /** See {@link #FOLD_8}. */
    static final VectorShuffle<Float> FOLD_4;
    /** See {@link #FOLD_8}. */
    static final VectorShuffle<Float> FOLD_2;
    /** See {@link #FOLD_8}. */
    static final VectorShuffle<Float> FOLD_1;

    static {
        FOLD_8 = VectorShuffle.iota(F, 8, 1, true);
        FOLD_4 = VectorShuffle.iota(F, 4, 1, true);
        FOLD_2 = VectorShuffle.iota(F, 2, 1, true);
        FOLD_1 = VectorShuffle.iota(F, 1, 1, true);
    }

    private SimdSpecies() {
    }

    private static VectorShape shape(int bits) {
        return VectorShape.forBitSize(bits);
    }
}
