"""PyTorch peer of `sae4j bench-sae`: the same SAELens folder and inputs, encoded the way SAELens does on CPU.

    python3 sae_encode.py --work DIR [--threads T] [--samples N] [--repeats R] [--k K] [--json OUT]

DIR holds what `sae4j bench-sae --work DIR` wrote: sae/cfg.json, sae/sae_weights.safetensors (W_enc [d_in, d_sae],
b_enc, W_dec, b_dec, float32) and x.npy [batch, d_in]. Measured, with torch.no_grad():
  batch-1   relu((x - b_dec) @ W_enc + b_enc) on one row, as SAELens StandardSAE.encode computes it (b_dec
            subtracted because the folder's apply_b_dec_to_input is true), per-call percentiles
  batch     the same on all rows; top-k: topk(x @ W_enc + b_enc, k) then relu on the kept values
  *Reused   the fastest torch form found: preallocated outputs, addmm/addmv with the bias fused, in-place ReLU, and
            for one row a matrix-vector product over a row-per-latent copy of W_enc
  bf16      batch-1 and batch with W_enc, b_enc and x cast to bfloat16 (oneDNN), when torch supports it
The safetensors file is parsed by hand (8-byte header length, JSON header, raw little-endian data) so that only
numpy and torch are needed.
"""
import argparse
import json
import struct
import time

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as handle:
        length = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(length))
        data = handle.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit("sae_encode: %s is %s; the peer reads float32 folders" % (name, info["dtype"]))
        start, end = info["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"]).copy())
    return tensors


def percentiles(samples_ns):
    micros = np.asarray(samples_ns, dtype=np.float64) / 1e3
    return {"samples": len(micros), "p50": float(np.percentile(micros, 50)), "p90": float(np.percentile(micros, 90)),
            "p99": float(np.percentile(micros, 99)), "p999": float(np.percentile(micros, 99.9)),
            "max": float(micros.max()), "mean": float(micros.mean())}


def latency(encode, rows, samples, warmup):
    for i in range(warmup):
        encode(rows[i % len(rows)])
    times = []
    for i in range(samples):
        row = rows[i % len(rows)]
        start = time.perf_counter_ns()
        encode(row)
        times.append(time.perf_counter_ns() - start)
    return percentiles(times)


def throughput(encode, x, repeats):
    encode(x)
    encode(x)
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        encode(x)
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    median = seconds[len(seconds) // 2]
    return {"rows": x.shape[0], "medianSeconds": median, "bestSeconds": seconds[0], "rowsPerSecond": x.shape[0] / median}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--k", type=int, default=32)
    parser.add_argument("--json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    weights = read_safetensors(args.work + "/sae/sae_weights.safetensors")
    with open(args.work + "/sae/cfg.json") as handle:
        cfg = json.load(handle)
    w_enc, b_enc, b_dec = weights["W_enc"].contiguous(), weights["b_enc"], weights["b_dec"]
    x = torch.from_numpy(np.load(args.work + "/x.npy"))
    shift = b_dec if cfg.get("apply_b_dec_to_input", True) else torch.zeros_like(b_dec)
    rows = [x[i:i + 1].contiguous() for i in range(min(256, x.shape[0]))]
    warmup = max(2000, args.samples)
    k = args.k

    def standard(inputs):
        return torch.relu((inputs - shift) @ w_enc + b_enc)

    # the fastest form found for torch: output buffers reused, bias fused into addmm, ReLU in place, and for one row a
    # matrix-vector product over a row-per-latent copy of W_enc
    w_rows = w_enc.t().contiguous()
    batch_out = torch.empty(x.shape[0], w_enc.shape[1])
    batch_in = torch.empty_like(x)
    row_out = torch.empty(w_enc.shape[1])
    row_in = torch.empty(w_enc.shape[0])

    def standard_reused(inputs):
        torch.sub(inputs, shift, out=batch_in)
        torch.addmm(b_enc, batch_in, w_enc, out=batch_out)
        return torch.relu_(batch_out)

    def row_reused(inputs):
        torch.sub(inputs[0], shift, out=row_in)
        torch.addmv(b_enc, w_rows, row_in, out=row_out)
        return torch.relu_(row_out)

    def topk_reused(inputs):
        torch.sub(inputs, shift, out=batch_in)
        torch.addmm(b_enc, batch_in, w_enc, out=batch_out)
        values, indices = torch.topk(batch_out, k, dim=-1, sorted=False)
        return torch.relu_(values), indices

    def topk(inputs):
        values, indices = torch.topk((inputs - shift) @ w_enc + b_enc, k, dim=-1, sorted=False)
        return torch.relu(values), indices

    result = {"torch": torch.__version__, "threads": torch.get_num_threads(),
              "config": torch.__config__.parallel_info().splitlines()[:3]}
    with torch.no_grad():
        result["batch1Fp32"] = latency(standard, rows, args.samples, warmup)
        result["batch1Fp32Reused"] = latency(row_reused, rows, args.samples, warmup)
        result["standard"] = throughput(standard, x, args.repeats)
        result["standardReused"] = throughput(standard_reused, x, args.repeats)
        result["topK"] = throughput(topk, x, args.repeats)
        result["topKReused"] = throughput(topk_reused, x, args.repeats)
        try:
            w16, b16, x16, shift16 = w_enc.bfloat16(), b_enc.bfloat16(), x.bfloat16(), shift.bfloat16()
            rows16 = [r.bfloat16() for r in rows]

            def standard16(inputs):
                return torch.relu((inputs - shift16) @ w16 + b16)

            result["batch1Bf16"] = latency(standard16, rows16, args.samples, warmup)
            result["standardBf16"] = throughput(standard16, x16, args.repeats)
        except RuntimeError as error:
            result["bf16Error"] = str(error)
    text = json.dumps(result)
    if args.json:
        with open(args.json, "w") as handle:
            handle.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
