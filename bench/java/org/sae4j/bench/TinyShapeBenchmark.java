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
import org.sae4j.kernel.KernelConfig;
import org.sae4j.kernel.Kernels;
import org.sae4j.tensor.TensorArena;

/**
 * The kernel calls of the paper lab at its tiny shapes (N = 16 latents, M = 8 measurements, batch 1024, hidden 32 or
 * 256), scalar and SIMD provider in one table: GEMM in the three orientations, the fused ReLU encoder, the bias + ReLU
 * row loop, Adam and four element-wise kernels on 16384 floats. Time per call on one kernel thread.
 *
 * <p>At these sizes a call lasts microseconds, so what decides the speed is whether the SIMD kernels reach C2 and
 * inline: a kernel left in C1 or the interpreter runs the Vector API's boxing fallback, which is slower than the
 * scalar loops and allocates. Run with {@code -prof gc}; {@code gc.alloc.rate.norm} must be about 0 B/op.
 *
 * <p>The provider is a JMH parameter: each parameter combination runs in its own fork, and the fork sets
 * {@value KernelConfig#KERNELS_PROP_NAME} before anything touches {@link Kernels}, which reads it once. The setup
 * fails when the selected provider is not the requested one.
 *
 * <p>Smoke-level settings (3 × 1 s warm-up and measurement, 1 fork), chosen for a shared 2-core machine. Example:
 * {@code bench/run.sh TinyShapeBenchmark -prof gc -rf json -rff tiny.json}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class TinyShapeBenchmark {

    /** Kernel provider of the fork: {@code scalar} or {@code simd}. */
    @Param({"scalar", "simd"})
    public String provider;

    /** Selects the provider and one kernel thread; runs before every other state's setup. */
    @Setup(Level.Trial)
    public void selectProvider() {
        System.setProperty(KernelConfig.KERNELS_PROP_NAME, provider);
        BenchData.useKernelThreads(1);
        if (!Kernels.providerName().equals(provider)) {
            throw new IllegalStateException("requested the " + provider + " provider, got "
                    + Kernels.providerName() + " (was Kernels initialised before this setup?)");
        }
    }

    /** GEMM operands for {@code C[m×n] = op(A)·op(B)} at one shape. */
    @State(Scope.Benchmark)
    public static class GemmShape {

        /** {@code m×n×k}: rows of C, columns of C, reduction depth. */
        @Param({"1024x16x8", "1024x8x16", "16x8x1024", "1024x32x8", "1024x16x32", "32x8x1024", "1024x256x8",
                "1024x16x256"})
        public String shape;

        int m;
        int n;
        int k;
        private TensorArena arena;
        MemorySegment a;
        MemorySegment b;
        MemorySegment c;

        /** Parses the shape and fills the operands, after the provider is selected. */
        @Setup(Level.Trial)
        public void setUp(TinyShapeBenchmark bench) {
            String[] parts = shape.split("x");
            m = Integer.parseInt(parts[0]);
            n = Integer.parseInt(parts[1]);
            k = Integer.parseInt(parts[2]);
            arena = new TensorArena("tiny-gemm-bench");
            SplittableRandom random = new SplittableRandom(BenchData.SEED);
            a = BenchData.fill(arena.allocateFloats((long) m * k), random);
            b = BenchData.fill(arena.allocateFloats((long) n * k), random);
            c = arena.allocateFloats((long) m * n);
        }

        /** Frees the operands. */
        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Encoder operands at the lab's data shape: X [1024×8], W [16×8], bias [16], Z [1024×16]. */
    @State(Scope.Benchmark)
    public static class EncodeShape {

        int batch = 1024;
        int nLatents = 16;
        int dModel = 8;
        private TensorArena arena;
        MemorySegment x;
        MemorySegment w;
        MemorySegment bias;
        MemorySegment z;

        /** Fills the operands, after the provider is selected. */
        @Setup(Level.Trial)
        public void setUp(TinyShapeBenchmark bench) {
            arena = new TensorArena("tiny-encode-bench");
            SplittableRandom random = new SplittableRandom(BenchData.SEED);
            x = BenchData.fill(arena.allocateFloats((long) batch * dModel), random);
            w = BenchData.fill(arena.allocateFloats((long) nLatents * dModel), random);
            bias = BenchData.fill(arena.allocateFloats(nLatents), random);
            z = BenchData.fill(arena.allocateFloats((long) batch * nLatents), random);
        }

        /** Frees the operands. */
        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Adam state of {@code n} parameters. */
    @State(Scope.Benchmark)
    public static class AdamState {

        /** Parameter count. */
        @Param({"128", "8192"})
        public int n;

        private TensorArena arena;
        MemorySegment p;
        MemorySegment g;
        MemorySegment m;
        MemorySegment v;

        /** Fills parameters, gradients and moments, after the provider is selected. */
        @Setup(Level.Trial)
        public void setUp(TinyShapeBenchmark bench) {
            arena = new TensorArena("tiny-adam-bench");
            SplittableRandom random = new SplittableRandom(BenchData.SEED);
            p = BenchData.fill(arena.allocateFloats(n), random);
            g = BenchData.fill(arena.allocateFloats(n), random);
            m = BenchData.fill(arena.allocateFloats(n), random);
            v = arena.allocateFloats(n);
        }

        /** Frees the state. */
        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Two vectors of 16384 floats for the level-1 kernels. */
    @State(Scope.Benchmark)
    public static class Vectors {

        int n = 16384;
        private TensorArena arena;
        MemorySegment x;
        MemorySegment y;

        /** Fills both vectors, after the provider is selected. */
        @Setup(Level.Trial)
        public void setUp(TinyShapeBenchmark bench) {
            arena = new TensorArena("tiny-vector-bench");
            SplittableRandom random = new SplittableRandom(BenchData.SEED);
            x = BenchData.fill(arena.allocateFloats(n), random);
            y = BenchData.fill(arena.allocateFloats(n), random);
        }

        /** Frees the vectors. */
        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** {@code C = A·B}, A m×k, B k×n. */
    @Benchmark
    public MemorySegment gemmNN(GemmShape s) {
        Kernels.gemm(s.m, s.n, s.k, 1f, s.a, 0, s.k, s.b, 0, s.n, 0f, s.c, 0, s.n);
        return s.c;
    }

    /** {@code C = A·Bᵀ}, A m×k, B n×k (the encoder orientation). */
    @Benchmark
    public MemorySegment gemmNT(GemmShape s) {
        Kernels.gemmNT(s.m, s.n, s.k, 1f, s.a, 0, s.k, s.b, 0, s.k, 0f, s.c, 0, s.n);
        return s.c;
    }

    /** {@code C = Aᵀ·B}, A k×m, B k×n (the weight-gradient orientation). */
    @Benchmark
    public MemorySegment gemmTN(GemmShape s) {
        Kernels.gemmTN(s.m, s.n, s.k, 1f, s.a, 0, s.m, s.b, 0, s.n, 0f, s.c, 0, s.n);
        return s.c;
    }

    /** Fused {@code Z = max(X·Wᵀ + bias, 0)} at 1024 × 16 × 8. */
    @Benchmark
    public MemorySegment encodeRelu(EncodeShape s) {
        Kernels.encodeRelu(s.batch, s.nLatents, s.dModel, s.x, 0, s.dModel, s.w, 0, s.dModel, s.bias, 0, s.z, 0,
                s.nLatents);
        return s.z;
    }

    /**
     * {@code Z[i,:] = max(Z[i,:] + bias, 0)} for the 1024 rows of Z, one {@code Kernels.biasRelu} call of 16
     * elements per row: the loop is the workload, as in a trainer that applies the activation row by row. Z stays
     * non-negative after the first call, so every later call takes the same path.
     */
    @Benchmark
    public MemorySegment biasReluRows(EncodeShape s) {
        for (int i = 0; i < s.batch; i++) {
            long row = (long) i * s.nLatents;
            Kernels.biasRelu(s.nLatents, s.z, row, s.bias, 0, s.z, row);
        }
        return s.z;
    }

    /** One Adam step over n parameters (PyTorch defaults, step 10). */
    @Benchmark
    public MemorySegment adam(AdamState s) {
        Kernels.adam(s.n, s.p, 0, s.g, 0, s.m, 0, s.v, 0, 1e-3f, 0.9f, 0.999f, 1e-8f, 10);
        return s.p;
    }

    /** {@code y = 1e-3·x + y} on 16384 floats. */
    @Benchmark
    public MemorySegment axpy(Vectors s) {
        Kernels.axpy(s.n, 1e-3f, s.x, 0, s.y, 0);
        return s.y;
    }

    /** {@code Σ x·y} on 16384 floats. */
    @Benchmark
    public float dot(Vectors s) {
        return Kernels.dot(s.n, s.x, 0, s.y, 0);
    }

    /** {@code y = exp(x)} on 16384 floats in [-1, 1). */
    @Benchmark
    public MemorySegment exp(Vectors s) {
        Kernels.exp(s.n, s.x, 0, s.y, 0);
        return s.y;
    }

    /** {@code y = sign(x)·max(|x| − 0.1, 0)} on 16384 floats. */
    @Benchmark
    public MemorySegment softThreshold(Vectors s) {
        Kernels.softThreshold(s.n, 0.1f, s.x, 0, s.y, 0);
        return s.y;
    }

    /** Runs this class's benchmarks; extra arguments are JMH options (e.g. {@code -p provider=simd}). */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(TinyShapeBenchmark.class.getSimpleName()).build()).run();
    }
}
