#!/usr/bin/env bash
# Known-dictionary experiment, sae4j against its PyTorch peer on one data file; prints the wall-time ratio.
#
#   bench/peers/run-known-d.sh [--threads T] [--steps S] [--seeds R] [--seed SEED] [--out DIR]
#
# Both sides get the same data file, steps, seeds, evaluation interval (100) and thread count. Environment:
#   PEER_PYTHON             interpreter with torch, scipy and numpy (default /usr/bin/python3, Debian's)
#   PEER_OPENBLAS_CORETYPE  force an OpenBLAS kernel family for the peer (default: see pick_openblas_coretype)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads=1
steps=20000
seeds=5
seed=20240625
eval_every=100
out="$root/target/peers/known-d"
python="${PEER_PYTHON:-/usr/bin/python3}"

while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads="$2"; shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        --seeds) seeds="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "run-known-d: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

if ! "$python" -c 'import torch, scipy, numpy' 2>/dev/null; then
    echo "run-known-d: $python lacks torch/scipy/numpy; install them with" >&2
    echo "  apt-get install -y python3-torch python3-scipy python3-numpy   (then use /usr/bin/python3)" >&2
    exit 3
fi

# shellcheck source=peer-env.sh
source "$root/bench/peers/peer-env.sh"

mkdir -p "$out"
data="$out/known-d.safetensors"
echo "== data: $data" >&2
"$root/bin/sae4j" data --n 16 --m 8 --k 3 --seed "$seed" --samples 1024 --out "$data"

echo "== PyTorch peer: $steps steps, $seeds seeds, $threads threads, OpenBLAS core ${coretype:-auto}" >&2
"${peer_env[@]}" "$python" "$root/bench/peers/known_d.py" --data "$data" --steps "$steps" --seeds "$seeds" \
    --threads "$threads" --eval-every "$eval_every" --json "$out/peer.json"

echo "== sae4j: $steps steps, $seeds seeds, $threads threads" >&2
"$root/bin/sae4j" experiment known-d --seed "$seed" --seeds "$seeds" --steps "$steps" --threads "$threads" \
    --data "$data" --out "$out/sae4j" --json > "$out/sae4j.json"

"$python" - "$out/peer.json" "$out/sae4j.json" "$out/sae4j" <<'EOF'
import json, os, sys

def wall_seconds(path):
    """wallSeconds of the JSON object in path: the whole file, or its last line that parses as an object."""
    with open(path) as handle:
        text = handle.read()
    candidates = [text] + [line for line in reversed(text.splitlines()) if line.lstrip().startswith("{")]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict) and "wallSeconds" in value:
            return float(value["wallSeconds"])
    return None

peer = wall_seconds(sys.argv[1])
sae4j = wall_seconds(sys.argv[2])
if sae4j is None and os.path.isdir(sys.argv[3]):
    for name in sorted(os.listdir(sys.argv[3])):
        if name.endswith(".json"):
            sae4j = wall_seconds(os.path.join(sys.argv[3], name))
            if sae4j is not None:
                break
if peer is None or sae4j is None:
    sys.exit("run-known-d: no top-level wallSeconds in %s" % ("the peer JSON" if peer is None else "sae4j's JSON"))
print("wall time: PyTorch %.2f s, sae4j %.2f s, ratio PyTorch/sae4j %.2fx" % (peer, sae4j, peer / sae4j))
EOF
