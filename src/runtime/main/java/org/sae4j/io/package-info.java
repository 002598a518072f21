/**
 * File formats of SAE weights, activations and codes: validated, zero-copy readers of safetensors, {@code .npy} and
 * {@code .npz} files, a row-block reader of activation matrices, a CSR code file, and deterministic writers of each.
 *
 * <h2>Where it sits</h2>
 *
 * On the tensor floor: readers map files read-only into a caller's {@link org.sae4j.tensor.TensorArena} and hand out
 * {@link java.lang.foreign.MemorySegment} slices that {@link org.sae4j.kernel.Kernels} reads in place (little-endian,
 * possibly unaligned, see {@link org.sae4j.tensor.Layouts}). The SAE loader of {@link org.sae4j.sae} builds models
 * from these readers, and the evaluation of {@link org.sae4j.sae.eval} streams {@link org.sae4j.io.ActivationFile}s;
 * this package knows nothing of SAEs.
 *
 * <table>
 *   <caption>Readers and writers</caption>
 *   <tr><th>format</th><th>read with</th><th>data</th><th>write with</th></tr>
 *   <tr><td>safetensors</td><td>{@link org.sae4j.io.SafetensorsFile}</td><td>mapped, zero-copy</td>
 *       <td>{@link org.sae4j.io.SafetensorsWriter}</td></tr>
 *   <tr><td>{@code .npy}</td><td>{@link org.sae4j.io.NpyFile}</td><td>mapped, zero-copy</td>
 *       <td>{@link org.sae4j.io.NpyWriter}, {@link org.sae4j.io.NpyStreamWriter}</td></tr>
 *   <tr><td>{@code .npz}</td><td>{@link org.sae4j.io.NpzFile}</td><td>inflated into the arena</td><td>-</td></tr>
 *   <tr><td>activations</td><td>{@link org.sae4j.io.ActivationFile}</td><td>mapped, widened per row block</td>
 *       <td>-</td></tr>
 *   <tr><td>CSR codes</td><td>{@link org.sae4j.io.CsrCodeFile}</td><td>copied to the heap</td>
 *       <td>{@link org.sae4j.io.CsrCodeWriter}</td></tr>
 * </table>
 *
 * <h2>A worked example</h2>
 *
 * Map a weights file, use an fp32 tensor in place, widen any other type into an engine buffer without allocating,
 * and write a file back:
 *
 * <pre>{@code
 * try (TensorArena arena = new TensorArena("weights")) {
 *     SafetensorsFile file = SafetensorsFile.open(Path.of("sae_weights.safetensors"), arena);
 *     SafetensorsTensor entry = file.tensor("W_dec");                  // dtype, shape, offsets, validated
 *     MemorySegment wDec = file.segment("W_dec");                      // in place: read-only, little-endian
 *     MemorySegment bDec = arena.allocateFloats(entry.shapeArray()[1]);
 *     file.readFloats("b_dec", bDec, 0);                               // F32, F16, BF16 or F64 widened to fp32
 *     String format = file.metadata().get("format");
 *
 *     new SafetensorsWriter()
 *             .metadata("format", "pt")
 *             .add("W_dec", entry.dtype(), entry.shapeArray(), wDec)   // read when written, not copied
 *             .addFloats("b_dec", new long[] {bDec.byteSize() / 4}, bDec.toArray(Layouts.F32))
 *             .write(Path.of("copy.safetensors"));                     // temporary file renamed over the target
 * } catch (SafetensorsFormatException e) {
 *     System.err.println(e.getMessage());                              // "sae_weights.safetensors: tensor ..."
 * }
 * }</pre>
 *
 * <h2>Errors</h2>
 *
 * Readers validate the whole container while opening, before any segment is handed out. A malformed file throws a
 * {@link org.sae4j.io.FormatException}, a checked {@link java.io.IOException}:
 * {@link org.sae4j.io.SafetensorsFormatException} for safetensors, {@link org.sae4j.io.NpyFormatException} for
 * {@code .npy} (also a malformed member of an npz),
 * {@code FormatException} itself for ZIP-level problems of an npz, and, one floor up,
 * {@code org.sae4j.sae.SaeFormatException} for SAE folders. Every message starts with the source (the path, or
 * {@code archive!member.npy}) and names the problem and, where one is involved, the tensor. Once a reader exists its
 * accessors never throw {@code FormatException}; asking for a tensor that is not there is an
 * {@link java.lang.IllegalArgumentException} naming the source. Two readers judge content beyond the container and
 * report it as {@code IllegalArgumentException}: {@code ActivationFile} (not a 2-D floating-point matrix) and
 * {@code CsrCodeFile} (not valid CSR codes).
 *
 * <h2>Ownership</h2>
 *
 * The {@code TensorArena} given to {@code open} owns the mapping (or, for npz, the inflated members): every segment
 * a reader hands out is valid until the caller closes that arena, after which using it throws
 * {@link java.lang.IllegalStateException}. Readers hold no other resource and need no closing; file channels are
 * closed before {@code open} returns. {@code CsrCodeFile} copies everything to the heap and releases its own mapping.
 * {@link org.sae4j.io.SafetensorsWriter#add} keeps a reference to the caller's segment and reads it only when
 * writing, so that segment must stay alive and unchanged until then; {@code addFloats} copies.
 *
 * <h2>Replacing files</h2>
 *
 * {@code SafetensorsWriter.write(Path)} (and so {@code CsrCodeWriter}) writes a temporary file and renames it over
 * the target, so a model that still maps the old file keeps reading its bytes. {@code NpyWriter} and
 * {@code NpyStreamWriter} truncate the target in place: never overwrite a {@code .npy} file that is still mapped.
 *
 * <h2>Threads and allocation</h2>
 *
 * Readers are immutable once open and safe to share between threads. {@code readFloats(..., dst, offset)} widens
 * into caller memory without allocating; the array accessors ({@code readFloats()}, {@code readDoubles()},
 * {@code readLongs()}, {@code ActivationFile.readRows}) allocate their results. Writers other than the stateless
 * {@code NpyWriter} are not thread-safe. Output is deterministic: the same tensors always give the same bytes.
 */
package org.sae4j.io;
