package org.sae4j.io;

/**
 * Unusual but valid properties of where a container puts its header and tensor data. None of them stops sae4j from
 * reading a file (every reader accepts any alignment); they tell whether a file matches what current writers produce
 * and whether its tensors can be used in place with aligned access. Mappings start on a page boundary, so a file
 * offset's alignment is the alignment of the mapped address.
 *
 * <p>Reported by {@link SafetensorsFile#layoutFindings()}, {@link NpyFile#layoutFindings()} and
 * {@link FileDescription}; each {@link LayoutFinding} names the tensor and the exact offsets involved.
 */
public enum LayoutFlag {

    /**
     * safetensors: the header length N is not a multiple of 8, as in files written before padding was added, so the
     * data section (at byte 8 + N) does not start on an 8-byte boundary either.
     */
    UNPADDED_HEADER("unpadded-header"),

    /** safetensors: the data section does not start on a 64-byte boundary (a cache line, an AVX-512 vector). */
    DATA_START_NOT_64_BYTE_ALIGNED("data-start-not-64-byte-aligned"),

    /** safetensors: a tensor's begin offset, relative to the data section, is not a multiple of its element size. */
    DATA_OFFSET_NOT_ELEMENT_ALIGNED("data-offset-not-element-aligned"),

    /** A tensor's first byte, counted from the start of the file, is not a multiple of its element size. */
    FILE_OFFSET_NOT_ELEMENT_ALIGNED("file-offset-not-element-aligned"),

    /** A tensor's first byte, counted from the start of the file, is not a multiple of 64. */
    FILE_OFFSET_NOT_64_BYTE_ALIGNED("file-offset-not-64-byte-aligned"),

    /** A dimension is 0, so the tensor holds no elements and no bytes. */
    ZERO_SIZE("zero-size"),

    /** The shape is empty: a 0-d (scalar) tensor holding exactly one element. */
    SCALAR("scalar");

    /** The name printed by {@code sae4j inspect}; see {@link #label()}. */
    private final String label;

    /**
     * Binds a constant to its printed name.
     *
     * @param label the stable lower-case, hyphenated name
     */
    LayoutFlag(String label) {
        this.label = label;
    }

    /**
     * The stable lower-case name printed by {@code sae4j inspect}, e.g. {@code unpadded-header}.
     *
     * @return the constant's name in lower case, words joined by hyphens
     */
    public String label() {
        return label;
    }
}
