"""Activations an SAE's own dictionary explains: x = z @ W_dec + b_dec + noise with k-sparse non-negative z.

    python3 dictionary_inputs.py SAE_DIR OUT.npy [--rows N] [--k K] [--noise S] [--seed SEED]

Reads SAE_DIR/sae_weights.safetensors (float32 SAELens folder, W_dec [d_sae, d_in], b_dec [d_in]) by hand, so only
numpy is needed. Each row activates K latents chosen uniformly, with magnitudes drawn from Exponential(1) + 0.5, and
adds Gaussian noise of standard deviation S per dimension. `sae4j gap` on such inputs shows how much of the structure
the encoder leaves unrecovered when the decoder could express it exactly.
"""
import argparse
import json
import struct

import numpy as np


def read_tensor(path, name):
    with open(path, "rb") as handle:
        length = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(length))
        info = header[name]
        if info["dtype"] != "F32":
            raise SystemExit("dictionary_inputs: %s is %s; float32 folders only" % (name, info["dtype"]))
        start, end = info["data_offsets"]
        handle.seek(8 + length + start)
        return np.frombuffer(handle.read(end - start), dtype="<f4").reshape(info["shape"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sae")
    parser.add_argument("out")
    parser.add_argument("--rows", type=int, default=1024)
    parser.add_argument("--k", type=int, default=32)
    parser.add_argument("--noise", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=20251126)
    args = parser.parse_args()
    weights = args.sae + "/sae_weights.safetensors"
    decoder = read_tensor(weights, "W_dec").astype(np.float64)
    bias = read_tensor(weights, "b_dec").astype(np.float64)
    rng = np.random.default_rng(args.seed)
    d_sae, d_in = decoder.shape
    x = np.empty((args.rows, d_in), dtype=np.float64)
    for r in range(args.rows):
        latents = rng.choice(d_sae, size=args.k, replace=False)
        magnitudes = rng.exponential(1.0, size=args.k) + 0.5
        x[r] = magnitudes @ decoder[latents] + bias + rng.normal(0.0, args.noise, size=d_in)
    np.save(args.out, x.astype(np.float32))
    print("wrote %s: [%d, %d], %d active latents per row" % (args.out, args.rows, d_in, args.k))


if __name__ == "__main__":
    main()
