package org.sae4j.io;

import java.util.ArrayList;
import java.util.List;

/** Computes the {@link LayoutFinding}s of the readers; each check is one {@link LayoutFlag}. */
final class LayoutChecks {

    /** The alignment worth reporting beyond the element size: a cache line and an AVX-512 vector. */
    static final int WIDE_ALIGNMENT_BYTES = 64;

    /** The alignment safetensors writers pad the header to. */
    static final int HEADER_ALIGNMENT_BYTES = 8;

    /** Not instantiable: static checks only. */
    private LayoutChecks() {
    }

    /**
     * Findings of a safetensors file: its header and data start, then every tensor in header order.
     *
     * @param headerBytes the header length N in bytes, padding included
     * @param dataStart   file offset of the data section, {@code 8 + headerBytes}
     * @param dataBytes   size of the data section in bytes; its alignment is not checked when 0
     * @param tensors     the validated tensors, in header order, with offsets relative to the data section
     * @return an unmodifiable list: {@link LayoutFlag#UNPADDED_HEADER} and
     *         {@link LayoutFlag#DATA_START_NOT_64_BYTE_ALIGNED} without a tensor name, then per tensor
     *         {@link LayoutFlag#DATA_OFFSET_NOT_ELEMENT_ALIGNED} followed by the findings of {@link #array}
     */
    static List<LayoutFinding> safetensors(long headerBytes, long dataStart, long dataBytes,
            List<SafetensorsTensor> tensors) {
        List<LayoutFinding> findings = new ArrayList<>();
        if (headerBytes % HEADER_ALIGNMENT_BYTES != 0) {
            findings.add(new LayoutFinding(LayoutFlag.UNPADDED_HEADER, null, "header length " + headerBytes
                    + " is not a multiple of " + HEADER_ALIGNMENT_BYTES + ", so the data section starts at byte "
                    + dataStart));
        }
        // An empty data section has no bytes whose alignment could matter.
        if (dataBytes > 0 && dataStart % WIDE_ALIGNMENT_BYTES != 0) {
            findings.add(new LayoutFinding(LayoutFlag.DATA_START_NOT_64_BYTE_ALIGNED, null, "data section starts "
                    + "at byte " + dataStart + ", not a multiple of " + WIDE_ALIGNMENT_BYTES));
        }
        for (SafetensorsTensor tensor : tensors) {
            int elementBytes = tensor.dtype().byteSize();
            if (tensor.byteSize() > 0 && tensor.beginOffset() % elementBytes != 0) {
                findings.add(new LayoutFinding(LayoutFlag.DATA_OFFSET_NOT_ELEMENT_ALIGNED, tensor.name(),
                        "data offset " + tensor.beginOffset() + " is not a multiple of " + elementBytes + " ("
                                + tensor.dtype() + " element size)"));
            }
            findings.addAll(array(tensor.name(), tensor.dtype(), tensor.shape(), dataStart + tensor.beginOffset(),
                    tensor.byteSize()));
        }
        return List.copyOf(findings);
    }

    /**
     * Findings of one array whose first byte is at {@code fileOffset}; alignment is only checked for an array with
     * bytes.
     *
     * @param name       the tensor or array name the findings carry, or {@code null} when the caller has none, as
     *                   for {@link NpyFile}
     * @param dtype      the element type; the offset is checked against its size
     * @param shape      the dimensions; empty for a 0-d array
     * @param fileOffset byte offset of the first data byte, counted from the start of the parsed bytes (the file, or
     *                   an npz member's inflated image)
     * @param byteSize   size of the data in bytes
     * @return an unmodifiable list, in the order {@link LayoutFlag#FILE_OFFSET_NOT_ELEMENT_ALIGNED},
     *         {@link LayoutFlag#FILE_OFFSET_NOT_64_BYTE_ALIGNED}, {@link LayoutFlag#ZERO_SIZE},
     *         {@link LayoutFlag#SCALAR}, each present only when it applies
     */
    static List<LayoutFinding> array(String name, SafetensorsDType dtype, List<Long> shape, long fileOffset,
            long byteSize) {
        List<LayoutFinding> findings = new ArrayList<>();
        if (byteSize > 0 && fileOffset % dtype.byteSize() != 0) {
            findings.add(new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_ELEMENT_ALIGNED, name, "file offset "
                    + fileOffset + " is not a multiple of " + dtype.byteSize() + " (" + dtype + " element size)"));
        }
        if (byteSize > 0 && fileOffset % WIDE_ALIGNMENT_BYTES != 0) {
            findings.add(new LayoutFinding(LayoutFlag.FILE_OFFSET_NOT_64_BYTE_ALIGNED, name, "file offset "
                    + fileOffset + " is not a multiple of " + WIDE_ALIGNMENT_BYTES));
        }
        int zero = shape.indexOf(0L);
        if (zero >= 0) {
            findings.add(new LayoutFinding(LayoutFlag.ZERO_SIZE, name, "dimension " + zero + " of shape " + shape
                    + " is 0, so there are no elements"));
        }
        if (shape.isEmpty()) {
            findings.add(new LayoutFinding(LayoutFlag.SCALAR, name, "0-d shape [] holding one element"));
        }
        return List.copyOf(findings);
    }
}
