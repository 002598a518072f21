package org.sae4j.sae.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sae4j.sae.SaeDType;
import org.sae4j.sae.SaeWeights;

final class WeightComparisonTest {

    @Test
    void shouldAcceptBf16RoundingButNotCallItBitExact() {
        // 1 + 2⁻¹⁰ is not a bf16 value: it rounds to 1, an error of 2⁻¹⁰
        SaeWeights written = SaeWeights.of(new float[] {1f + 0x1.0p-10f, 2f}, new float[] {0.5f},
                new float[] {-3f, 0.25f}, new float[] {1f});
        SaeWeights read = SaeWeights.of(new float[] {1f, 2f}, new float[] {0.5f}, new float[] {-3f, 0.25f},
                new float[] {1f});
        List<WeightComparison.TensorDiff> diffs = WeightComparison.compare(written, read, SaeDType.BFLOAT16);
        assertEquals(List.of("encoder", "encoder_bias", "decoder", "decoder_bias"),
                diffs.stream().map(WeightComparison.TensorDiff::name).toList());
        assertTrue(WeightComparison.allCorrect(diffs));
        assertFalse(WeightComparison.allBitExact(diffs));
        assertEquals(0x1.0p-10, WeightComparison.maxAbsError(diffs));
        assertFalse(WeightComparison.allCorrect(WeightComparison.compare(written, read, SaeDType.FLOAT32)),
                "float32 stores 1 + 2⁻¹⁰ exactly, so reading 1 back is wrong");
    }

    @Test
    void shouldCountAMissingOrResizedTensorAsWrong() {
        SaeWeights written = SaeWeights.of(new float[] {1f, 2f}, new float[] {0.5f}, new float[] {-3f, 0.25f},
                new float[] {1f}).withThreshold(new float[] {0.1f});
        SaeWeights read = SaeWeights.of(new float[] {1f}, new float[] {0.5f}, new float[] {-3f, 0.25f},
                new float[] {1f});
        List<WeightComparison.TensorDiff> diffs = WeightComparison.compare(written, read, SaeDType.FLOAT32);
        assertEquals(new WeightComparison.TensorDiff("encoder", 2, 2, false, Double.POSITIVE_INFINITY), diffs.get(0));
        assertEquals(new WeightComparison.TensorDiff("threshold", 1, 1, false, Double.POSITIVE_INFINITY),
                diffs.get(4));
        assertEquals(new WeightComparison.TensorDiff("decoder", 2, 0, true, 0), diffs.get(2));
        assertFalse(WeightComparison.allCorrect(diffs));
    }
}
