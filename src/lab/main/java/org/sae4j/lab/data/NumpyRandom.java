package org.sae4j.lab.data;

/**
 * The subset of numpy's legacy {@code RandomState} (MT19937) that the paper's data generator uses, reproduced
 * bit for bit: integer seeding, raw 32-bit draws, 53-bit doubles, the polar Gaussian with its cached second value,
 * masked-rejection bounded integers, {@code shuffle}, {@code permutation} and {@code choice(n, k, replace=False)}.
 *
 * <p>Algorithms (numpy {@code _legacy_seeding}, {@code mt19937}, {@code legacy_gauss}, {@code random_interval}):
 * <ul>
 *   <li>seed: {@code mt[0] = seed}, {@code mt[i] = 1812433253·(mt[i−1] ⊕ (mt[i−1] >> 30)) + i  (mod 2³²)};</li>
 *   <li>double: {@code ((a >> 5)·2²⁶ + (b >> 6)) / 2⁵³} from two 32-bit draws a, b;</li>
 *   <li>Gaussian: draw {@code u = 2·double − 1}, {@code v = 2·double − 1} until {@code 0 < r² = u² + v² < 1};
 *       {@code f = √(−2·ln r² / r²)}; return {@code f·v} and cache {@code f·u} for the next call;</li>
 *   <li>bounded(max): 32-bit draws (64-bit when max ≥ 2³²) masked to the smallest all-ones mask ≥ max, rejected
 *       while larger than max.</li>
 * </ul>
 *
 * <pre>{@code
 * NumpyRandom rng = new NumpyRandom(20240625);   // np.random.seed(20240625)
 * double g = rng.normal(0, 1);                   // np.random.normal(0, 1)
 * int[] support = rng.choiceWithoutReplacement(16, 3);   // np.random.choice(16, 3, replace=False)
 * }</pre>
 *
 * <p>Bit-exactness of the Gaussian depends on the logarithm. numpy calls the C library's {@code log}; this class uses
 * {@link Math#log} (the JIT's libm stub), which reproduces every published test vector and agrees with glibc 2.28+ on
 * about 99.96 % of draws, the rest differing by one ulp in the float64 value (measured over 4·10⁶ draws).
 * {@link StrictMath#log} (fdlibm) differs on about 3 % of draws. A one-ulp difference never changes the uniform
 * stream, the rejection loop or any support, and survives the conversion to float32 with probability about 2⁻²⁹.
 * {@link Math#sqrt} is correctly rounded on every platform.
 *
 * <p><b>Note:</b> not thread-safe (mutable generator state); one instance per thread. Draws allocate nothing except
 * the arrays that {@link #permutation} and {@link #choiceWithoutReplacement} return.
 */
public final class NumpyRandom {

    /** Largest seed numpy accepts for integer seeding, {@code 2³² − 1}. */
    public static final long MAX_SEED = 0xFFFF_FFFFL;

    private static final int STATE_LENGTH = 624;
    private static final int SHIFT_SIZE = 397;
    private static final int MATRIX_A = 0x9908_b0df;
    private static final int UPPER_MASK = 0x8000_0000;
    private static final int LOWER_MASK = 0x7fff_ffff;
    private static final double TWO_POW_26 = 67108864.0;
    private static final double TWO_POW_53 = 9007199254740992.0;

    private final int[] state = new int[STATE_LENGTH];
    private int position;
    private boolean hasCachedGaussian;
    private double cachedGaussian;

    /**
     * Seeds like {@code np.random.seed(seed)} with an integer seed.
     *
     * @param seed 0 ≤ seed ≤ {@link #MAX_SEED}
     * @throws IllegalArgumentException when the seed is outside numpy's range
     */
    public NumpyRandom(long seed) {
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException("numpy seed must be in [0, 2^32 - 1], got " + seed);
        }
        int value = (int) seed;
        for (int i = 0; i < STATE_LENGTH; i++) {
            state[i] = value;
            value = 1812433253 * (value ^ (value >>> 30)) + i + 1;
        }
        position = STATE_LENGTH;
    }

    /** The next raw MT19937 output, in [0, 2³²). */
    public long nextUint32() {
        return Integer.toUnsignedLong(nextInt());
    }

    /**
     * The next 64-bit output as numpy builds it: {@code (first << 32) | second}.
     *
     * @return 64 raw bits (may be negative as a Java long)
     */
    public long nextUint64() {
        long high = nextUint32();
        return (high << 32) | nextUint32();
    }

    /** {@code np.random.random_sample()}: a double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        int a = nextInt() >>> 5;
        int b = nextInt() >>> 6;
        return (a * TWO_POW_26 + b) / TWO_POW_53;
    }

    /**
     * {@code np.random.standard_normal()}: legacy polar Box–Muller; every second value comes from the cache that the
     * previous call filled (the cache persists across calls and across array draws).
     */
    public double nextGaussian() {
        if (hasCachedGaussian) {
            hasCachedGaussian = false;
            double cached = cachedGaussian;
            cachedGaussian = 0.0;
            return cached;
        }
        double u;
        double v;
        double radiusSquared;
        do {
            u = 2.0 * nextDouble() - 1.0;
            v = 2.0 * nextDouble() - 1.0;
            radiusSquared = u * u + v * v;
        } while (radiusSquared >= 1.0 || radiusSquared == 0.0);
        double factor = Math.sqrt(-2.0 * Math.log(radiusSquared) / radiusSquared);
        cachedGaussian = factor * u;
        hasCachedGaussian = true;
        return factor * v;
    }

    /** {@code np.random.normal(loc, scale)}: {@code loc + scale·gauss}. */
    public double normal(double loc, double scale) {
        return loc + scale * nextGaussian();
    }

    /**
     * {@code np.random.normal(loc, scale, out.length)}: fills {@code out} in order.
     *
     * @param out modified
     */
    public void normal(double loc, double scale, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = loc + scale * nextGaussian();
        }
    }

    /**
     * numpy's {@code random_interval(max)}: a uniform integer in [0, max] by masked rejection.
     *
     * @param max inclusive upper bound, ≥ 0
     * @throws IllegalArgumentException when max is negative
     */
    public long randomInterval(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("interval bound must be >= 0, got " + max);
        }
        if (max == 0) {
            return 0;
        }
        long mask = allOnesMask(max);
        long value;
        if (max <= MAX_SEED) {
            do {
                value = nextUint32() & mask;
            } while (value > max);
        } else {
            do {
                value = nextUint64() & mask;
            } while (value > max);
        }
        return value;
    }

    /**
     * {@code np.random.randint(low, high)} for the default int64 dtype: {@code low + bounded(high − low − 1)}.
     *
     * @throws IllegalArgumentException when {@code low >= high} or the range does not fit a long
     */
    public long randint(long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException("randint needs low < high, got [" + low + ", " + high + ")");
        }
        long span = high - low - 1;
        if (span < 0) {
            throw new IllegalArgumentException("randint range [" + low + ", " + high + ") exceeds 2^63 - 1");
        }
        return low + randomInterval(span);
    }

    /**
     * {@code np.random.shuffle(a)} for a one-dimensional array: Fisher–Yates from the end,
     * {@code for i = n−1 … 1: swap(a[i], a[bounded(i)])}.
     *
     * @param values modified in place
     */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /**
     * {@code np.random.permutation(n)}: {@code 0..n−1} shuffled.
     *
     * @throws IllegalArgumentException when n is negative
     */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation size must be >= 0, got " + n);
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        shuffle(values);
        return values;
    }

    /**
     * {@code np.random.choice(n, k, replace=False)} with uniform probabilities: the first k entries of a full
     * {@link #permutation(int) permutation(n)} (the whole permutation is drawn even when k is small).
     *
     * @return k distinct indices in draw order
     * @throws IllegalArgumentException when {@code n <= 0}, {@code k < 0} or {@code k > n}
     */
    public int[] choiceWithoutReplacement(int n, int k) {
        if (n <= 0) {
            throw new IllegalArgumentException("choice population must be > 0, got " + n);
        }
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("choice size must be in [0, " + n + "] without replacement, got " + k);
        }
        int[] all = permutation(n);
        int[] chosen = new int[k];
        System.arraycopy(all, 0, chosen, 0, k);
        return chosen;
    }

    private static long allOnesMask(long max) {
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        return mask;
    }

    private int nextInt() {
        if (position == STATE_LENGTH) {
            regenerate();
        }
        int y = state[position++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >>> 18;
        return y;
    }

    private void regenerate() {
        for (int i = 0; i < STATE_LENGTH; i++) {
            int y = (state[i] & UPPER_MASK) | (state[(i + 1) % STATE_LENGTH] & LOWER_MASK);
            int next = state[(i + SHIFT_SIZE) % STATE_LENGTH] ^ (y >>> 1);
            state[i] = (y & 1) != 0 ? next ^ MATRIX_A : next;
        }
        position = 0;
    }
}
