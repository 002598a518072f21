package org.sae4j.io;

import java.util.ArrayList;
import java.util.List;

/** Computes the {@link LayoutFinding}s of the readers; each check is one {@link LayoutFlag}. */
final class LayoutChecks {

    /** The alignment worth reporting beyond the element size: a cache line and an AVX-512 vector. */
    static final int WIDE_ALIGNMENT_BYTES = 64;

    /** The alignment safetensors writers pad the header to. */
    static final int HEADER_ALIGNMENT_BYTES = 8;

    private LayoutChecks() {
    }

    /** Findings of a safetensors file: its header and data start, then every tensor in header order. */
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

    /** Findings of one array whose first byte is at {@code fileOffset}; {@code name} may be null. */
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
