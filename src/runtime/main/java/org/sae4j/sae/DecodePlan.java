package org.sae4j.sae;

import java.lang.foreign.MemorySegment;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.DType;
import org.sae4j.tensor.SparseCode;

/**
 * Decoding {@code f·W_dec + b_dec} from fp32 or bf16 decoder rows. fp32 uses the sparse-decode kernel; bf16 has
 * no gather kernel, so each gathered row is widened into a d_out scratch row and added with axpy (two passes over
 * floats that stay in L1). Nothing here allocates.
 */
final class DecodePlan {

    /** How the decoder rows are stored: F32 or BF16. */
    private final DType precision;
    /** Latents: rows of the decoder, and the bound on a code's indices. */
    private final int dSae;
    /** Output width: columns of the decoder. */
    private final int dOut;
    /** [dSae, dOut] fp32 or bf16. */
    private final MemorySegment decoder;
    /** [dOut] b_dec, fp32. */
    private final MemorySegment decoderBias;

    /**
     * A plan over the model's decoder, which it reads but does not own.
     *
     * @param precision   element type of {@code decoder}: F32 or BF16
     * @param dSae        latents, rows of the decoder
     * @param dOut        output width, columns of the decoder
     * @param decoder     [dSae, dOut] W_dec, row-major; not modified
     * @param decoderBias [dOut] b_dec, fp32; not modified
     */
    DecodePlan(DType precision, int dSae, int dOut, MemorySegment decoder, MemorySegment decoderBias) {
        this.precision = precision;
        this.dSae = dSae;
        this.dOut = dOut;
        this.decoder = decoder;
        this.decoderBias = decoderBias;
    }

    /**
     * out [codes.rows(), d_out] = codes·W_dec + b_dec.
     *
     * @param codes   codes over d_sae latents; not modified
     * @param out     [codes.rows(), d_out]; modified
     * @param widened [d_out] fp32 scratch for a bf16 decoder (null for fp32); modified
     * @throws IllegalArgumentException if an index lies outside [0, d_sae)
     */
    void decode(SparseCode codes, MemorySegment out, MemorySegment widened) {
        if (precision == DType.F32) {
            Kernels.decode(codes, decoder, 0, dOut, dOut, decoderBias, 0, out, 0, dOut);
            return;
        }
        int[] pointers = codes.rowPointers();
        for (int r = 0; r < codes.rows(); r++) {
            long outRow = (long) r * dOut;
            MemorySegment.copy(decoderBias, 0, out, outRow * Float.BYTES, (long) dOut * Float.BYTES);
            int start = pointers[r];
            addRows(codes.indices(), codes.values(), pointers[r + 1] - start, start, out, outRow, widened);
        }
    }

    /**
     * out [batch, d_out] = z·W_dec + b_dec for dense codes z [batch, d_sae].
     *
     * @param z     [batch, d_sae]; not modified
     * @param batch rows
     * @param out   [batch, d_out]; modified
     */
    void decodeDense(MemorySegment z, int batch, MemorySegment out) {
        if (precision == DType.F32) {
            Kernels.gemm(batch, dOut, dSae, 1f, z, 0, dSae, decoder, 0, dOut, 0f, out, 0, dOut);
            for (int r = 0; r < batch; r++) {
                Kernels.axpy(dOut, 1f, decoderBias, 0, out, (long) r * dOut);
            }
            return;
        }
        // no bf16 GEMM takes its bf16 operand untransposed: one transposed GEMV per row, starting from b_dec
        for (int r = 0; r < batch; r++) {
            MemorySegment.copy(decoderBias, 0, out, (long) r * dOut * Float.BYTES, (long) dOut * Float.BYTES);
            Kernels.gemvTransposedBf16(dSae, dOut, 1f, decoder, 0, dOut, z, (long) r * dSae, 1f, out,
                    (long) r * dOut);
        }
    }

    /**
     * {@code out[outOff..] += Σ values[t]·W_dec[indices[t], :]} over {@code count} entries from {@code start}.
     *
     * @param indices latent ids; not modified
     * @param values  codes; not modified
     * @param count   entries to add
     * @param start   first entry
     * @param out     the output row's segment; modified in {@code [outOff, outOff + d_out)}
     * @param outOff  element offset of the output row
     * @param widened [d_out] fp32 scratch for a bf16 decoder; modified
     * @throws IllegalArgumentException if an index lies outside [0, d_sae)
     */
    void addRows(int[] indices, float[] values, int count, int start, MemorySegment out, long outOff,
            MemorySegment widened) {
        boolean bf16 = precision == DType.BF16;
        for (int t = start; t < start + count; t++) {
            int j = indices[t];
            if (j < 0 || j >= dSae) {
                throw new IllegalArgumentException("codes: latent index " + j + " at entry " + t + " outside [0, "
                        + dSae + ")");
            }
            if (bf16) {
                Kernels.widenBf16(dOut, decoder, (long) j * dOut, widened, 0);
                Kernels.axpy(dOut, values[t], widened, 0, out, outOff);
            } else {
                Kernels.axpy(dOut, values[t], decoder, (long) j * dOut, out, outOff);
            }
        }
    }
}
