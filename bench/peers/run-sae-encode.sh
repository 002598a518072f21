#!/usr/bin/env bash
# SAE encode, sae4j against PyTorch on the same SAELens folder and inputs; prints the ratios the targets name.
#
#   bench/peers/run-sae-encode.sh [--threads T] [--samples N] [--repeats R] [--out DIR]
#
# sae4j runs first (bin/sae4j bench-sae writes the seeded 768 x 24576 SAE and x.npy into DIR), then the peer reads
# them. Environment:
#   PEER_PYTHON             interpreter with torch and numpy (default /usr/bin/python3, Debian's)
#   PEER_OPENBLAS_CORETYPE  force an OpenBLAS kernel family for the peer (default: see peer-env.sh)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads=2
samples=5000
repeats=5
out="$root/target/peers/sae-encode"
python="${PEER_PYTHON:-/usr/bin/python3}"

while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads="$2"; shift 2 ;;
        --samples) samples="$2"; shift 2 ;;
        --repeats) repeats="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "run-sae-encode: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
    echo "run-sae-encode: $python lacks torch/numpy; install them with" >&2
    echo "  apt-get install -y python3-torch python3-numpy   (then use /usr/bin/python3)" >&2
    exit 3
fi

# shellcheck source=peer-env.sh
source "$root/bench/peers/peer-env.sh"

mkdir -p "$out"
echo "== sae4j: $threads threads" >&2
"$root/bin/sae4j" bench-sae --work "$out" --threads "$threads" --samples "$samples" --repeats "$repeats" --json \
    > "$out/sae4j.json"

echo "== PyTorch peer: $threads threads, OpenBLAS core ${coretype:-auto}" >&2
"${peer_env[@]}" "$python" "$root/bench/peers/sae_encode.py" --work "$out" --threads "$threads" \
    --samples "$samples" --repeats "$repeats" --json "$out/torch.json" > /dev/null

"$python" - "$out/sae4j.json" "$out/torch.json" <<'PY'
import json, sys

sae4j = json.load(open(sys.argv[1]))
torch = json.load(open(sys.argv[2]))
rows = [
    ("batch-1 p50, fp32 (target <= 0.9)", sae4j["batch1Fp32"]["p50"], torch["batch1Fp32"]["p50"], "us", False),
    ("batch-1 p99, fp32", sae4j["batch1Fp32"]["p99"], torch["batch1Fp32"]["p99"], "us", False),
    ("batch-1 p50, sae4j bf16 vs torch fp32 (target <= 0.6)", sae4j["batch1Bf16"]["p50"], torch["batch1Fp32"]["p50"],
     "us", False),
    ("batch-1 p50, fp32 vs torch reused buffers", sae4j["batch1Fp32"]["p50"], torch["batch1Fp32Reused"]["p50"], "us",
     False),
    ("batch-1 p50, sae4j bf16 vs torch fp32 reused buffers", sae4j["batch1Bf16"]["p50"],
     torch["batch1Fp32Reused"]["p50"], "us", False),
    ("batch %d standard fp32 (target >= 1.2)" % sae4j["standard"]["rows"], sae4j["standard"]["rowsPerSecond"],
     torch["standard"]["rowsPerSecond"], "rows/s", True),
    ("batch standard fp32 vs torch reused buffers", sae4j["standard"]["rowsPerSecond"],
     torch["standardReused"]["rowsPerSecond"], "rows/s", True),
    ("batch %d top-k" % sae4j["topK"]["rows"], sae4j["topK"]["rowsPerSecond"], torch["topK"]["rowsPerSecond"],
     "rows/s", True),
    ("batch top-k vs torch reused buffers", sae4j["topK"]["rowsPerSecond"], torch["topKReused"]["rowsPerSecond"],
     "rows/s", True),
]
if "batch1Bf16" in torch:
    rows.append(("batch-1 p50, bf16 both", sae4j["batch1Bf16"]["p50"], torch["batch1Bf16"]["p50"], "us", False))
    rows.append(("batch standard bf16 both", sae4j["standardBf16"]["rowsPerSecond"],
                 torch["standardBf16"]["rowsPerSecond"], "rows/s", True))
print("%-58s %14s %14s %8s" % ("measurement", "sae4j", "torch", "ratio"))
for name, ours, theirs, unit, higher in rows:
    ratio = ours / theirs
    print("%-58s %11.1f %-3s%11.1f %-3s %7.2fx" % (name, ours, unit[:3], theirs, unit[:3], ratio))
print("ratio = sae4j / torch (times: lower is better; rows/s: higher is better); medians of each side's calls")
best = [("batch %d standard fp32, best call" % sae4j["standard"]["rows"], "standard", "standardReused"),
        ("batch %d top-k, best call" % sae4j["topK"]["rows"], "topK", "topKReused")]
for name, ours, theirs in best:
    print("%-58s %11.3f s  %11.3f s  %7.2fx (torch reused buffers / sae4j, higher favours sae4j)"
          % (name, sae4j[ours]["bestSeconds"], torch[theirs]["bestSeconds"],
             torch[theirs]["bestSeconds"] / sae4j[ours]["bestSeconds"]))
PY
