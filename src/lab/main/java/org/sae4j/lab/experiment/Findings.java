package org.sae4j.lab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sentences that check an experiment's results against the paper's claims (paper-spec §11), with the measured
 * numbers: each says what was expected, what was measured and whether it holds. Nothing here changes a result.
 */
final class Findings {

    private Findings() {
    }

    static List<String> of(ExperimentSettings settings, List<MethodSummary> methods) {
        Map<String, MethodSummary> byName = new LinkedHashMap<>();
        for (MethodSummary method : methods) {
            byName.put(method.method(), method);
        }
        return switch (settings.kind()) {
            case KNOWN_D -> knownDictionary(settings, byName);
            case KNOWN_Z -> ordering(byName, "SAE+bias", List.of("MLP-32+bias", "MLP-256+bias", "MLP-1024+bias"),
                    "known codes: the supervised SAE ends below every MLP (paper-spec §11.5)");
            case UNKNOWN -> unknown(byName);
            case L1_SWEEP, TOPK, MLP_WIDTH, BIAS -> sweepBests(methods);
            case SCALING -> List.of();
        };
    }

    private static List<String> knownDictionary(ExperimentSettings settings, Map<String, MethodSummary> m) {
        List<String> findings = new ArrayList<>();
        MethodSummary sae = m.get("SAE");
        MethodSummary ito = m.get("SAE+ITO");
        MethodSummary mlp256 = m.get("MLP-256");
        MethodSummary warm = m.get("SAE" + MethodRunner.WARM_FISTA_SUFFIX);
        MethodSummary cold = m.get(MethodRunner.COLD_FISTA);
        findings.add(format("SAE: peak MCC %.3f at step %d (reference 0.65–0.73 within the first ~2k steps) — %s; "
                        + "final %.3f ± %.3f (reference: a decline to 0.5–0.65) — decline %s, final in the band %s.",
                sae.peakMcc(), sae.peakStep(), verdict(sae.peakMcc() >= 0.65 && sae.peakMcc() <= 0.73),
                sae.finalMcc(), sae.finalMccStd(), verdict(sae.finalMcc() < sae.peakMcc()),
                verdict(sae.finalMcc() >= 0.5 && sae.finalMcc() <= 0.65)));
        double plateau = valueAt(ito, 5_000);
        findings.add(format("SAE+ITO (paper-faithful, log-codes from −10, Adam lr 1e-3): final MCC %.3f after %d "
                        + "iterations (target ≥ 0.94) — %s; MCC %.3f at 5k iterations (reference plateau 0.72–0.75 before "
                        + "the jump).", ito.finalMcc(), ito.curve().steps()[ito.curve().steps().length - 1],
                verdict(ito.finalMcc() >= 0.94), plateau));
        if (mlp256 != null) {
            findings.add(format("MLP H=256 final %.3f ± %.3f vs SAE final %.3f: the MLP ends above the SAE — %s.",
                    mlp256.finalMcc(), mlp256.finalMccStd(), sae.finalMcc(), verdict(mlp256.finalMcc() > sae.finalMcc())));
        }
        if (settings.measurements() < settings.latents()) {
            double best = Math.max(ito.finalMcc(), cold == null ? 0 : cold.peakMcc());
            findings.add(format("Amortisation gap (M = %d < N = %d): the best SAE MCC %.3f stays clearly below 1 while "
                            + "inference with the true dictionary reaches %.3f (≥ 0.95 expected) — %s.",
                    settings.measurements(), settings.latents(), sae.peakMcc(), best,
                    verdict(sae.peakMcc() < 0.9 && best >= 0.95)));
        }
        if (warm != null) {
            findings.add(warmStart(warm, cold, sae, ito));
        }
        return findings;
    }

    /** How much FISTA warm-started from the SAE needs to reach ITO's final MCC, against ITO itself. */
    private static String warmStart(MethodSummary warm, MethodSummary cold, MethodSummary sae, MethodSummary ito) {
        double target = ito.finalMcc();
        int hit = firstAtLeast(warm, target);
        long itoFlops = ito.curve().flops()[ito.curve().flops().length - 1];
        double itoSeconds = ito.seconds();
        if (hit < 0) {
            return format("FISTA warm-started from the SAE's codes did not reach SAE+ITO's final MCC %.3f within %d "
                    + "iterations (best %.3f); SAE+ITO used %s FLOPs and %.2f s.", target,
                    warm.curve().steps()[warm.curve().steps().length - 1], warm.peakMcc(), sci(itoFlops), itoSeconds);
        }
        long iterations = warm.curve().steps()[hit];
        long inferenceFlops = warm.curve().flops()[hit] - sae.trainingFlops();
        double seconds = warm.curve().seconds()[hit] - sae.seconds();
        String coldPart = "";
        int coldHit = cold == null ? -1 : firstAtLeast(cold, target);
        if (coldHit >= 0) {
            coldPart = format(" FISTA from zero needs %d iterations (%s FLOPs).", cold.curve().steps()[coldHit],
                    sci(cold.curve().flops()[coldHit]));
        }
        return format("FISTA warm-started from the SAE's codes reaches SAE+ITO's final MCC %.3f after %d iterations: "
                        + "%s inference FLOPs (SAE encode + FISTA) and %.3f s, against %s FLOPs and %.2f s for SAE+ITO — "
                        + "%.0f× fewer FLOPs, %.0f× less time.%s", target, iterations, sci(inferenceFlops), seconds,
                sci(itoFlops), itoSeconds, (double) itoFlops / inferenceFlops, itoSeconds / Math.max(seconds, 1e-9),
                coldPart);
    }

    private static List<String> unknown(Map<String, MethodSummary> m) {
        List<String> findings = new ArrayList<>();
        MethodSummary sc = m.get("SC");
        MethodSummary sae = m.get("SAE");
        MethodSummary saeIto = m.get("SAE+ITO");
        MethodSummary mlp32 = m.get("MLP-32");
        MethodSummary mlp256 = m.get("MLP-256");
        findings.add(format("Latent MCC: SC %.3f, MLP-256 %.3f, MLP-32 %.3f, SAE+ITO %.3f, SAE %.3f (reference order "
                        + "SC > MLP-256 ≳ MLP-32 > SAE+ITO ≈ SAE) — sparse coding first: %s; MLPs above the SAE: %s.",
                sc.finalMcc(), mlp256.finalMcc(), mlp32.finalMcc(), saeIto.finalMcc(), sae.finalMcc(),
                verdict(sc.finalMcc() > Math.max(Math.max(mlp32.finalMcc(), mlp256.finalMcc()), sae.finalMcc())),
                verdict(Math.min(mlp32.finalMcc(), mlp256.finalMcc()) > sae.finalMcc())));
        findings.add(format("Dictionary MCC: SC %.3f, SAE %.3f, MLP-32 %.3f, MLP-256 %.3f (reference SC ≈ 0.84, SAE ≈ "
                        + "0.75).", sc.finalDictionaryMcc(), sae.finalDictionaryMcc(), mlp32.finalDictionaryMcc(),
                mlp256.finalDictionaryMcc()));
        double dip = Double.POSITIVE_INFINITY;
        for (double value : sc.curve().mcc()) {
            dip = Math.min(dip, value);
        }
        findings.add(format("Sparse coding's lowest logged MCC is %.3f (the reference dips below 0.35 early).", dip));
        return findings;
    }

    private static List<String> ordering(Map<String, MethodSummary> m, String lower, List<String> higher,
                                         String claim) {
        MethodSummary base = m.get(lower);
        StringBuilder values = new StringBuilder(format("%s %.3f", lower, base.finalMcc()));
        boolean holds = true;
        for (String name : higher) {
            MethodSummary other = m.get(name);
            values.append(format(", %s %.3f ± %.3f", name, other.finalMcc(), other.finalMccStd()));
            holds &= other.finalMcc() > base.finalMcc();
        }
        return List.of(claim + ": " + values + " — " + verdict(holds) + ".");
    }

    private static List<String> sweepBests(List<MethodSummary> methods) {
        Map<String, MethodSummary> best = new LinkedHashMap<>();
        for (MethodSummary method : methods) {
            String family = SweepName.family(method.method());
            MethodSummary current = best.get(family);
            if (current == null || method.finalMcc() > current.finalMcc()) {
                best.put(family, method);
            }
        }
        List<String> findings = new ArrayList<>();
        best.forEach((family, method) -> findings.add(format("%s: best final MCC %.3f ± %.3f at %s (dictionary MCC "
                + "%.3f).", family, method.finalMcc(), method.finalMccStd(), method.method(), method.finalDictionaryMcc())));
        return findings;
    }

    static List<String> scaling(List<ScalingCell> cells) {
        int compressed = 0;
        int scWins = 0;
        int complete = 0;
        int saeNearOne = 0;
        for (ScalingCell cell : cells) {
            if (!cell.method().equals("SAE")) {
                continue;
            }
            ScalingCell sc = find(cells, cell, "SC");
            if (cell.measurements() < cell.latents() && cell.measurements() >= 16 && sc != null) {
                compressed++;
                scWins += sc.mcc() > cell.mcc() ? 1 : 0;
            }
            if (cell.measurements() >= cell.latents()) {
                complete++;
                saeNearOne += cell.mcc() >= 0.95 ? 1 : 0;
            }
        }
        return List.of(
                format("Compressed cells with M ≥ 16: sparse coding beats the SAE in %d of %d (reference: clearly, "
                        + "with the advantage shrinking as K grows).", scWins, compressed),
                format("Cells with M ≥ N: the SAE reaches MCC ≥ 0.95 in %d of %d (reference: ≈ 1).", saeNearOne,
                        complete));
    }

    private static ScalingCell find(List<ScalingCell> cells, ScalingCell like, String method) {
        for (ScalingCell cell : cells) {
            if (cell.method().equals(method) && cell.latents() == like.latents()
                    && cell.measurements() == like.measurements() && cell.active() == like.active()) {
                return cell;
            }
        }
        return null;
    }

    private static int firstAtLeast(MethodSummary method, double target) {
        double[] mcc = method.curve().mcc();
        for (int i = 0; i < mcc.length; i++) {
            if (mcc[i] >= target) {
                return i;
            }
        }
        return -1;
    }

    private static double valueAt(MethodSummary method, long step) {
        long[] steps = method.curve().steps();
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] >= step) {
                return method.curve().mcc()[i];
            }
        }
        return Double.NaN;
    }

    private static String verdict(boolean holds) {
        return holds ? "holds" : "does not hold";
    }

    static String sci(double value) {
        return String.format(Locale.ROOT, "%.2e", value);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
