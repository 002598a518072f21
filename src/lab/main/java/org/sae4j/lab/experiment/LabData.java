package org.sae4j.lab.experiment;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.sae4j.lab.data.SyntheticData;
import org.sae4j.tensor.DenseMatrix;
import org.sae4j.tensor.TensorArena;

/**
 * One data set of an experiment as read-only off-heap tensors shared by every run (the arena is shared, so runs on
 * several threads read it concurrently).
 */
public final class LabData implements AutoCloseable {

    private final SyntheticData data;
    private final TensorArena arena;
    private final DenseMatrix testX;
    private final DenseMatrix testCodes;
    private final DenseMatrix atoms;

    public LabData(SyntheticData data) {
        this.data = Objects.requireNonNull(data, "data");
        this.arena = new TensorArena("lab-data-" + data.config().seed());
        this.testX = data.matrix(arena, SyntheticData.Part.TEST_OBSERVATIONS);
        this.testCodes = data.matrix(arena, SyntheticData.Part.TEST_CODES);
        this.atoms = data.matrix(arena, SyntheticData.Part.DICTIONARY);
    }

    public SyntheticData data() {
        return data;
    }

    public int latents() {
        return data.config().latents();
    }

    public int measurements() {
        return data.config().measurements();
    }

    public int testSamples() {
        return data.testSamples();
    }

    /** Test observations [B_test, M]. */
    public MemorySegment testX() {
        return testX.segment();
    }

    /** True test codes as a matrix [B_test, N]. */
    public DenseMatrix testCodes() {
        return testCodes;
    }

    /** The true dictionary [N, M]. */
    public MemorySegment atoms() {
        return atoms.segment();
    }

    @Override
    public void close() {
        arena.close();
    }
}
