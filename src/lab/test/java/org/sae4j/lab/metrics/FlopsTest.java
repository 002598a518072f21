package org.sae4j.lab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import org.junit.jupiter.api.Test;

/** The exact FLOP values of paper-spec §9.2 (N = 16, M = 8, B = 1024). */
final class FlopsTest {

    private static final int M = 8;
    private static final int N = 16;
    private static final int B = 1024;

    @Test
    void shouldCountSaePerSampleStepWhenDictionaryFixedOrLearned() {
        assertEquals(528, Flops.saeForwardPerSample(M, N, false));
        assertEquals(832, Flops.saeBackwardPerSample(M, N, false));
        assertEquals(1_360, Flops.saeTrainingPerSampleStep(M, N, false));
        assertEquals(1_744, Flops.saeTrainingPerSampleStep(M, N, true));
        assertEquals(1_785_856, Flops.saeTraining(M, N, B, 1, true));
    }

    @Test
    void shouldCountSaeTrainingPlusTestInferenceAtStep100() {
        assertEquals(540_672, Flops.saeInference(M, N, B));
        assertEquals(141_197_312, Flops.saeTraining(M, N, B, 101, false) + Flops.saeInference(M, N, B));
    }

    @Test
    void shouldCountMlpWhenHiddenIs32Or256() {
        assertEquals(5_360, Flops.mlpTrainingPerSampleStep(M, 32, N, false));
        assertEquals(5_744, Flops.mlpTrainingPerSampleStep(M, 32, N, true));
        assertEquals(38_736, Flops.mlpTrainingPerSampleStep(M, 256, N, false));
        assertEquals(1_884_160, Flops.mlpInference(M, 32, N, B));
        assertEquals(556_236_800, Flops.mlpTraining(M, 32, N, B, 101, false) + Flops.mlpInference(M, 32, N, B));
    }

    @Test
    void shouldCountSparseCodingQuadraticallyInBatch() {
        assertEquals(51_248, Flops.sparseCodingTrainingPerIteration(M, N, B, true));
        assertEquals(52_477_952, Flops.sparseCodingTraining(M, N, B, 1, true));
        // B = 2048: (656 + 65,536 + 1,312 + 32,896)·2048, the batch counted in the iteration and again outside.
        assertEquals(205_619_200, Flops.sparseCodingTraining(M, N, 2 * B, 1, true));
        assertEquals(384 + 16 * B + 256 * B, Flops.sparseCodingInference(M, N, B, true));
    }

    @Test
    void shouldCountInferenceTimeOptimisation() {
        assertEquals(144, Flops.optimizeCodesInit(M, N));
        assertEquals(704, Flops.optimizeCodesPerIteration(M, N));
        assertEquals(72_957_952, Flops.optimizeCodes(M, N, B, 101));
        assertEquals(7_209_107_456L, Flops.optimizeCodes(M, N, B, 10_000));
    }

    @Test
    void shouldCountKnownCodesEncoderOnly() {
        assertEquals(848, Flops.knownCodesEncoderPerSampleStep(M, N));
        assertEquals(848L * B * 20_000, Flops.knownCodesEncoderTraining(M, N, B, 20_000));
    }

    @Test
    void shouldCountNothingWhenNoStepsOrSamples() {
        assertEquals(0, Flops.saeTraining(M, N, B, 0, true));
        assertEquals(0, Flops.mlpInference(M, 32, N, 0));
        assertEquals(0, Flops.optimizeCodes(M, N, 0, 10));
    }

    @Test
    void shouldRejectNegativeArgumentsAndOverflow() {
        assertEquals("steps must be >= 0, got -1",
                assertThrowsExactly(IllegalArgumentException.class, () -> Flops.saeTraining(M, N, B, -1, false))
                        .getMessage());
        assertEquals("hidden must be >= 0, got -32",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Flops.mlpTrainingPerSampleStep(M, -32, N, false)).getMessage());
        assertEquals("FLOP count 1360 x 9223372036854775807 x 1 overflows a long",
                assertThrowsExactly(IllegalArgumentException.class,
                        () -> Flops.saeTraining(M, N, Long.MAX_VALUE, 1, false)).getMessage());
    }

    @Test
    void shouldMatchTheSaeAndMlpFormulasWhenTheGeneralEncoderCountHasZeroOrOneHiddenLayer() {
        for (boolean learn : new boolean[] {false, true}) {
            assertEquals(Flops.saeForwardPerSample(8, 16, learn), Flops.encoderForwardPerSample(new int[] {8, 16}, learn));
            assertEquals(Flops.saeBackwardPerSample(8, 16, learn),
                    Flops.encoderBackwardPerSample(new int[] {8, 16}, learn));
            assertEquals(Flops.mlpForwardPerSample(8, 32, 16, learn),
                    Flops.encoderForwardPerSample(new int[] {8, 32, 16}, learn));
            assertEquals(Flops.mlpBackwardPerSample(8, 256, 16, learn),
                    Flops.encoderBackwardPerSample(new int[] {8, 256, 16}, learn));
            assertEquals(Flops.saeTraining(8, 16, 1024, 101, learn),
                    Flops.encoderTraining(new int[] {8, 16}, 1024, 101, learn));
        }
        assertEquals(540_672, Flops.encoderInference(new int[] {8, 16}, 1024));
        assertEquals(1_884_160, Flops.encoderInference(new int[] {8, 32, 16}, 1024));
    }

    @Test
    void shouldCountTheKnownCodesEncoderWithoutTheDecoderTerms() {
        assertEquals(Flops.knownCodesEncoderTraining(8, 16, 1024, 20_000),
                Flops.knownCodesTraining(new int[] {8, 16}, 1024, 20_000));
        // The reference gives the known-codes MLP H=32 as 9.9e10 FLOPs after 20k steps (two significant digits, §10.2).
        long mlp = Flops.knownCodesTraining(new int[] {8, 32, 16}, 1024, 20_000);
        assertEquals(9.9e10, mlp, 0.05e10);
    }

    @Test
    void shouldAddTwoFlopsPerParameterAndALayerChainForEachExtraHiddenLayer() {
        long one = Flops.encoderBackwardPerSample(new int[] {8, 32, 16}, false);
        long two = Flops.encoderBackwardPerSample(new int[] {8, 32, 32, 16}, false);
        // An extra 32→32 layer: activation derivative 32, gradients 2·32·32 + 32, two per parameter 2·(32·32 + 32).
        assertEquals(32 + (2 * 32 * 32 + 32) + 2 * (32 * 32 + 32), two - one);
        assertThrowsExactly(IllegalArgumentException.class, () -> Flops.encoderForwardPerSample(new int[] {8}, false));
    }
}
