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
 * Dense fp32 GEMM in the SAE encode orientation, {@code C[batch×nLatents] = X[batch×dModel]·Wᵀ} with W stored one row
 * per latent ({@code [nLatents×dModel]}): {@code Kernels.gemmNT} against OpenBLAS
 * {@code cblas_sgemm(RowMajor, NoTrans, Trans)} at the same thread count. Time per call; GFLOP/s =
 * 2·batch·dModel·nLatents / time.
 *
 * <p>The default shape is the 4096 × 768 × 16384 (about 0.3–1 s per call). Smoke run:
 * {@code -p batch=256 -p nLatents=2048 -f 1 -wi 0 -i 1 -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class GemmBench {

    /** Rows of X and C (tokens per batch). */
    @Param({"4096"})
    public int batch;

    /** Columns of X and W (the model's hidden size). */
    @Param({"768"})
    public int dModel;

    /** Rows of W, columns of C (dictionary size). */
    @Param({"16384"})
    public int nLatents;

    /** Threads of whichever library is measured. */
    @Param({"1", "2"})
    public int threads;

    private TensorArena arena;
    private MemorySegment x;
    private MemorySegment w;
    private MemorySegment c;

    /** Allocates and fills the operands and sets the sae4j thread count. */
    @Setup(Level.Trial)
    public void setUp() {
        arena = new TensorArena("gemm-bench");
        SplittableRandom random = new SplittableRandom(BenchData.SEED);
        x = BenchData.fill(arena.allocateFloats((long) batch * dModel), random);
        w = BenchData.fill(arena.allocateFloats((long) nLatents * dModel), random);
        c = arena.allocateFloats((long) batch * nLatents);
        BenchData.useKernelThreads(threads);
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Loads OpenBLAS only in the forks that measure it, so its spinning threads never disturb sae4j's. */
    @State(Scope.Benchmark)
    public static class OpenBlasPeer {

        /** Sets the OpenBLAS thread count to the benchmark's and records its configuration. */
        @Setup(Level.Trial)
        public void setUp(GemmBench bench) {
            BenchData.useOpenBlasThreads(bench.threads);
        }
    }

    /** sae4j: {@code C = X·Wᵀ} through the kernel facade. */
    @Benchmark
    public MemorySegment sae4jGemmNT() {
        Kernels.gemmNT(batch, nLatents, dModel, 1f, x, 0, dModel, w, 0, dModel, 0f, c, 0, nLatents);
        return c;
    }

    /** OpenBLAS: {@code cblas_sgemm(RowMajor, NoTrans, Trans)} on the same operands. */
    @Benchmark
    public MemorySegment openblasSgemm(OpenBlasPeer peer) {
        OpenBlas.gemmNT(batch, nLatents, dModel, x, w, c);
        return c;
    }

    /** Runs this class's benchmarks; extra arguments are JMH options (e.g. {@code -p batch=256}). */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(GemmBench.class.getSimpleName()).build()).run();
    }
}
