package org.sae4j.io;

/**
 * How one member of an {@link NpzFile} is stored in the archive, as its central directory records it.
 *
 * @param name              the array name: the member name without {@code .npy}
 * @param memberName        the member name in the archive, e.g. {@code W_enc.npy}
 * @param deflated          whether the member is deflated ({@code np.savez_compressed}) rather than stored
 * @param compressedBytes   bytes the member occupies in the archive; equal to {@code uncompressedBytes} when stored
 * @param uncompressedBytes bytes of the {@code .npy} image, header included
 */
public record NpzEntry(String name, String memberName, boolean deflated, long compressedBytes,
        long uncompressedBytes) {

    /**
     * The compression method, as {@code sae4j inspect} prints it.
     *
     * @return {@code "deflated"} if {@link #deflated()}, otherwise {@code "stored"}
     */
    public String compression() {
        return deflated ? "deflated" : "stored";
    }
}
