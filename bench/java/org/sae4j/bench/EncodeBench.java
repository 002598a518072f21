package org.sae4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.SparseCode;
import org.sae4j.tensor.TensorArena;

/**
 * Batched SAE encode, {@code Z = act(X[batch×dModel]·W[nLatents×dModel]ᵀ + b)}, four ways, to show what fusing the
 * epilogue into the GEMM saves: the plain GEMM ({@code Kernels.gemmNT}, no bias, no activation), the fused
 * {@code Kernels.encodeRelu}, the unfused pair (GEMM, then {@code Kernels.biasRelu} row by row over the finished
 * output, one more pass over batch·nLatents floats), and {@code Kernels.encodeTopK}, which streams each row into its
 * top-{@code topK} selection without writing the dense Z. Time per call; GFLOP/s = 2·batch·dModel·nLatents / time.
 *
 * <p>Smoke run: {@code -p batch=256 -p nLatents=2048 -p threads=1 -f 1 -wi 0 -i 1 -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class EncodeBench {

    /** Rows of X and Z (tokens per batch). */
    @Param({"4096"})
    public int batch;

    /** Columns of X and W (the model's hidden size). */
    @Param({"768"})
    public int dModel;

    /** Rows of W, columns of Z (dictionary size). */
    @Param({"16384"})
    public int nLatents;

    /** Latents kept per row by the top-k encoder. */
    @Param({"32"})
    public int topK;

    /** sae4j kernel threads. */
    @Param({"1", "2"})
    public int threads;

    private TensorArena arena;
    private MemorySegment x;
    private MemorySegment w;
    private MemorySegment bias;
    private MemorySegment z;
    private SparseCode code;

    /** Allocates and fills the operands and sets the thread count. */
    @Setup(Level.Trial)
    public void setUp() {
        arena = new TensorArena("encode-bench");
        SplittableRandom random = new SplittableRandom(BenchData.SEED);
        x = BenchData.fill(arena.allocateFloats((long) batch * dModel), random);
        w = BenchData.fill(arena.allocateFloats((long) nLatents * dModel), random);
        bias = BenchData.fill(arena.allocateFloats(nLatents), random);
        z = arena.allocateFloats((long) batch * nLatents);
        code = SparseCode.withCapacity(batch, nLatents, Math.multiplyExact(batch, Math.min(topK, nLatents)));
        BenchData.useKernelThreads(threads);
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** {@code Z = X·Wᵀ}: the GEMM alone, the floor of every encoder below. */
    @Benchmark
    public MemorySegment gemmNT() {
        Kernels.gemmNT(batch, nLatents, dModel, 1f, x, 0, dModel, w, 0, dModel, 0f, z, 0, nLatents);
        return z;
    }

    /** {@code Z = max(X·Wᵀ + b, 0)} with bias and ReLU applied to each tile while it is in registers. */
    @Benchmark
    public MemorySegment encodeReluFused() {
        Kernels.encodeRelu(batch, nLatents, dModel, x, 0, dModel, w, 0, dModel, bias, 0, z, 0, nLatents);
        return z;
    }

    /** {@code Z = X·Wᵀ}, then {@code Z = max(Z + b, 0)} in a second pass over Z. */
    @Benchmark
    public MemorySegment encodeReluUnfused() {
        Kernels.gemmNT(batch, nLatents, dModel, 1f, x, 0, dModel, w, 0, dModel, 0f, z, 0, nLatents);
        biasReluRows(batch, nLatents, z, bias);
        return z;
    }

    /** Top-{@code topK} of {@code X·Wᵀ + b} per row, into a sparse code; the dense Z is never written. */
    @Benchmark
    public SparseCode encodeTopK() {
        Kernels.encodeTopK(batch, nLatents, dModel, x, 0, dModel, w, 0, dModel, bias, 0, topK, code);
        return code;
    }

    /** The separate activation pass of the unfused encoder: the bias is one row, broadcast over the rows of Z. */
    private static void biasReluRows(int rows, int cols, MemorySegment z, MemorySegment bias) {
        for (int r = 0; r < rows; r++) {
            long offset = (long) r * cols;
            Kernels.biasRelu(cols, z, offset, bias, 0, z, offset);
        }
    }

    /** Runs this class's benchmarks; extra arguments are JMH options (e.g. {@code -p batch=256}). */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(EncodeBench.class.getSimpleName()).build()).run();
    }
}
