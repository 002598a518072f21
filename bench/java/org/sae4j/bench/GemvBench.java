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
import org.sae4j.tensor.TensorArena;

/**
 * Batch-1 SAE encode, {@code y[nLatents] = W[nLatents×dModel]·x[dModel]}: {@code Kernels.gemv} with fp32 weights,
 * {@code Kernels.gemvBf16} with the same weights rounded to bf16, and OpenBLAS {@code cblas_sgemv(RowMajor,
 * NoTrans)}. Time per call; the operation is bandwidth-bound, so GB/s = weight bytes / time.
 *
 * <p>{@code dModel = 768} is the 16384 × 768 encoder (48 MiB fp32, which stays in a large last-level cache on the
 * development machine); {@code dModel = 16384} is a 1 GiB fp32 / 512 MiB bf16 matrix, larger than the last-level
 * cache, where bf16 halves the DRAM traffic (the "bf16 ≥ 1.6× fp32" claim compares these two rows). Smoke run:
 * {@code -p dModel=768 -p threads=1 -f 1 -wi 0 -i 1 -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class GemvBench {

    /** Rows of W (dictionary size). */
    @Param({"16384"})
    public int nLatents;

    /** Columns of W and length of x (the model's hidden size). */
    @Param({"768", "16384"})
    public int dModel;

    /** Threads of whichever library is measured. */
    @Param({"1", "2"})
    public int threads;

    private TensorArena arena;
    private MemorySegment w;
    private MemorySegment x;
    private MemorySegment y;

    /** Allocates and fills the operands and sets the sae4j thread count. */
    @Setup(Level.Trial)
    public void setUp() {
        arena = new TensorArena("gemv-bench");
        SplittableRandom random = new SplittableRandom(BenchData.SEED);
        w = BenchData.fill(arena.allocateFloats((long) nLatents * dModel), random);
        x = BenchData.fill(arena.allocateFloats(dModel), random);
        y = arena.allocateFloats(nLatents);
        BenchData.useKernelThreads(threads);
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** The weights rounded to bf16, built only in the forks that measure the bf16 kernel. */
    @State(Scope.Benchmark)
    public static class Bf16Weights {
        private TensorArena arena;
        private MemorySegment w;

        /** Narrows the benchmark's fp32 weights to bf16 (round to nearest even). */
        @Setup(Level.Trial)
        public void setUp(GemvBench bench) {
            long count = (long) bench.nLatents * bench.dModel;
            arena = new TensorArena("gemv-bench-bf16");
            w = arena.allocateBf16(count);
            Kernels.narrowToBf16(Math.toIntExact(count), bench.w, 0, w, 0);
        }

        /** Frees the bf16 weights. */
        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Loads OpenBLAS only in the forks that measure it, so its spinning threads never disturb sae4j's. */
    @State(Scope.Benchmark)
    public static class OpenBlasPeer {

        /** Sets the OpenBLAS thread count to the benchmark's and records its configuration. */
        @Setup(Level.Trial)
        public void setUp(GemvBench bench) {
            BenchData.useOpenBlasThreads(bench.threads);
        }
    }

    /** sae4j: {@code y = W·x}, fp32 weights. */
    @Benchmark
    public MemorySegment sae4jGemv() {
        Kernels.gemv(nLatents, dModel, 1f, w, 0, dModel, x, 0, 0f, y, 0);
        return y;
    }

    /** sae4j: {@code y = W·x}, bf16 weights widened inside the kernel. */
    @Benchmark
    public MemorySegment sae4jGemvBf16(Bf16Weights bf16) {
        Kernels.gemvBf16(nLatents, dModel, 1f, bf16.w, 0, dModel, x, 0, 0f, y, 0);
        return y;
    }

    /** OpenBLAS: {@code cblas_sgemv(RowMajor, NoTrans)} on the fp32 weights. */
    @Benchmark
    public MemorySegment openblasSgemv(OpenBlasPeer peer) {
        OpenBlas.sgemv(OpenBlas.ROW_MAJOR, OpenBlas.NO_TRANS, nLatents, dModel, 1f, w, dModel, x, 0f, y);
        return y;
    }

    /** Runs this class's benchmarks; extra arguments are JMH options (e.g. {@code -p dModel=768}). */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(GemvBench.class.getSimpleName()).build()).run();
    }
}
