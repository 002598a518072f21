#!/usr/bin/python3
"""PyTorch peer of sae4j's known-dictionary experiment (paper-spec section 10.1).

Reads a data file written by `sae4j data` (safetensors: codes [2B, N], observations [2B, M], dictionary [N, M]) and
runs the reference experiment on it, so that sae4j and PyTorch train on identical arrays:

  SAE       S = relu(X W_e^T), W_e N x M without bias; decoder frozen to the true D; Adam lr 1e-3, full batch
  SAE+ITO   per-sample log-codes of the test points from -10, S = exp(log_S), true D frozen, Adam lr 1e-3
  MLP H     S = relu(relu(X W1^T) W2^T), no biases, H = 32 and 256; decoder frozen; Adam lr 1e-3, full batch

Loss for every method: mean((S D - X)^2) + 0.01 mean|S| (means over all entries). After every update whose step index
is a multiple of --eval-every, the test MCC (Pearson, Hungarian assignment on |C|) is logged; the final MCC is the last
logged value, as in the reference. Runs use run_seed = seed + i and call torch.manual_seed(run_seed + 42) before
building each model. Everything is float32.

Thread variables must be set before torch loads OpenBLAS, so arguments are parsed before torch is imported.
"""

import argparse
import json
import os
import platform
import struct
import sys
import time

L1_COEFFICIENT = 0.01
LEARNING_RATE = 1e-3
ITO_INIT = -10.0
VARIANCE_FLOOR = 1e-12
METHODS = ("sae", "sae-ito", "mlp-32", "mlp-256")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="PyTorch peer of sae4j's known-dictionary experiment.")
    parser.add_argument("--data", required=True, help="data file written by `sae4j data`")
    parser.add_argument("--steps", type=int, default=20000, help="training steps / ITO iterations (default 20000)")
    parser.add_argument("--seeds", type=int, default=5, help="runs per method, run_seed = seed + i (default 5)")
    parser.add_argument("--seed", type=int, default=None,
                        help="base model seed (default: the data file's seed, as the reference does)")
    parser.add_argument("--threads", type=int, default=1, help="torch and OpenBLAS threads (default 1)")
    parser.add_argument("--eval-every", type=int, default=100, help="steps between test MCC evaluations")
    parser.add_argument("--methods", default=",".join(METHODS),
                        help="comma-separated subset of " + ", ".join(METHODS) + " (default: all)")
    parser.add_argument("--json", dest="json_out", default=None, help="write the result JSON here")
    args = parser.parse_args(argv)
    for name in ("steps", "seeds", "threads", "eval_every"):
        if getattr(args, name) < 1:
            parser.error("--%s must be positive, got %d" % (name.replace("_", "-"), getattr(args, name)))
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        parser.error("--methods: unknown %s; choose from %s" % (unknown, ", ".join(METHODS)))
    args.methods = methods
    return args


def pin_threads(threads):
    # OpenBLAS sizes its own pool from OPENBLAS_NUM_THREADS, not from torch.set_num_threads.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(threads)


def read_safetensors(path, numpy):
    """Returns (metadata, {name: array}) of a little-endian F32 safetensors file."""
    with open(path, "rb") as handle:
        raw = handle.read()
    if len(raw) < 8:
        raise ValueError("%s: %d bytes, fewer than the 8-byte header length" % (path, len(raw)))
    (header_length,) = struct.unpack("<Q", raw[:8])
    if header_length > len(raw) - 8:
        raise ValueError("%s: header length %d runs past the end of the file" % (path, header_length))
    header = json.loads(raw[8:8 + header_length].decode("utf-8"))
    data_start = 8 + header_length
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError("%s: tensor '%s' has dtype %s, expected F32" % (path, name, entry["dtype"]))
        begin, end = entry["data_offsets"]
        shape = tuple(entry["shape"])
        count = 1
        for dim in shape:
            count *= dim
        if end - begin != 4 * count or data_start + end > len(raw):
            raise ValueError("%s: tensor '%s' offsets %s do not fit shape %s" % (path, name, [begin, end], shape))
        tensors[name] = numpy.frombuffer(raw, dtype="<f4", count=count, offset=data_start + begin).reshape(shape)
    return metadata, tensors


def load_data(path, numpy):
    metadata, tensors = read_safetensors(path, numpy)
    if metadata.get("format") != "sae4j-synthetic" or metadata.get("version") != "1":
        raise ValueError("%s: not an sae4j-synthetic version 1 file (metadata %s)" % (path, metadata))
    latents = int(metadata["latents"])
    measurements = int(metadata["measurements"])
    samples = int(metadata["samplesPerSplit"])
    expected = {"codes": (2 * samples, latents), "observations": (2 * samples, measurements),
                "dictionary": (latents, measurements)}
    for name, shape in expected.items():
        if name not in tensors or tensors[name].shape != shape:
            raise ValueError("%s: tensor '%s' should have shape %s" % (path, name, shape))
    return metadata, tensors, samples


def mcc(true_codes, predicted_codes, numpy, linear_sum_assignment):
    """Mean matched |Pearson| between true and predicted latents (paper-spec section 8.1), in float64."""
    true_centred = true_codes - true_codes.mean(axis=0)
    predicted_centred = predicted_codes - predicted_codes.mean(axis=0)
    true_ss = (true_centred * true_centred).sum(axis=0)
    predicted_ss = (predicted_centred * predicted_centred).sum(axis=0)
    samples = true_codes.shape[0]
    with numpy.errstate(divide="ignore", invalid="ignore"):
        correlation = (true_centred.T @ predicted_centred) / numpy.sqrt(numpy.outer(true_ss, predicted_ss))
    # Variance below the floor (per sample, as numpy's var) scores 0, as do NaNs.
    correlation[true_ss / samples < VARIANCE_FLOOR, :] = 0.0
    correlation[:, predicted_ss / samples < VARIANCE_FLOOR] = 0.0
    correlation = numpy.abs(numpy.nan_to_num(correlation, nan=0.0))
    rows, cols = linear_sum_assignment(-correlation)
    return float(correlation[rows, cols].mean())


class Experiment:
    """Holds the data as float32 tensors and runs one method for one seed."""

    def __init__(self, tensors, samples, steps, eval_every, torch, numpy, linear_sum_assignment):
        self.torch = torch
        self.numpy = numpy
        self.linear_sum_assignment = linear_sum_assignment
        self.steps = steps
        self.eval_every = eval_every
        codes = tensors["codes"]
        observations = tensors["observations"]
        self.train_x = torch.tensor(observations[:samples].copy())
        self.test_x = torch.tensor(observations[samples:].copy())
        self.test_codes = codes[samples:].astype(numpy.float64)
        # D_gen [N, M] with unit rows: reconstruction is S D_gen, i.e. S D^T with D = D_gen^T as in the scripts.
        self.dictionary = torch.tensor(tensors["dictionary"].copy())
        self.measurements = self.dictionary.shape[1]

    def loss(self, codes, target):
        reconstruction = codes @ self.dictionary
        return ((reconstruction - target) ** 2).mean() + L1_COEFFICIENT * codes.abs().mean()

    def evaluate(self, predicted):
        return mcc(self.test_codes, predicted.detach().numpy().astype(self.numpy.float64), self.numpy,
                   self.linear_sum_assignment)

    def build_encoder(self, method, run_seed):
        torch = self.torch
        latents = self.dictionary.shape[0]
        torch.manual_seed(run_seed + 42)
        if method == "sae":
            return torch.nn.Sequential(torch.nn.Linear(self.measurements, latents, bias=False), torch.nn.ReLU())
        hidden = int(method.split("-")[1])
        return torch.nn.Sequential(torch.nn.Linear(self.measurements, hidden, bias=False), torch.nn.ReLU(),
                                   torch.nn.Linear(hidden, latents, bias=False), torch.nn.ReLU())

    def run_encoder(self, method, run_seed):
        encoder = self.build_encoder(method, run_seed)
        optimiser = self.torch.optim.Adam(encoder.parameters(), lr=LEARNING_RATE)
        curve = []
        for step in range(self.steps):
            optimiser.zero_grad()
            self.loss(encoder(self.train_x), self.train_x).backward()
            optimiser.step()
            if step % self.eval_every == 0:
                with self.torch.no_grad():
                    curve.append(self.evaluate(encoder(self.test_x)))
        return curve

    def run_ito(self, run_seed):
        torch = self.torch
        torch.manual_seed(run_seed + 42)
        log_codes = torch.nn.Parameter(torch.full((self.test_x.shape[0], self.dictionary.shape[0]), ITO_INIT))
        optimiser = torch.optim.Adam([log_codes], lr=LEARNING_RATE)
        curve = []
        for step in range(self.steps):
            optimiser.zero_grad()
            self.loss(torch.exp(log_codes), self.test_x).backward()
            optimiser.step()
            if step % self.eval_every == 0:
                with torch.no_grad():
                    curve.append(self.evaluate(torch.exp(log_codes)))
        return curve

    def run(self, method, run_seed):
        return self.run_ito(run_seed) if method == "sae-ito" else self.run_encoder(method, run_seed)


def openblas_core(ctypes_module):
    """The kernel family OpenBLAS picked, read from the BLAS library torch loaded, or None when it is not OpenBLAS."""
    paths = []
    for line in open("/proc/self/maps"):
        fields = line.split()
        if len(fields) >= 6 and "openblas" in fields[-1] and fields[-1] not in paths:
            paths.append(fields[-1])
    if not paths:
        return None
    # Debian's openblas-pthread folder also holds liblapack.so.3; the BLAS itself is the one to report.
    blas = [p for p in paths if os.path.basename(p).startswith(("libblas", "libopenblas"))]
    path = (blas or paths)[0]
    library = ctypes_module.CDLL(path)
    library.openblas_get_corename.restype = ctypes_module.c_char_p
    library.openblas_get_config.restype = ctypes_module.c_char_p
    return {"library": path, "core": library.openblas_get_corename().decode(),
            "config": library.openblas_get_config().decode(), "threads": library.openblas_get_num_threads()}


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def main(argv):
    args = parse_args(argv)
    pin_threads(args.threads)
    started = time.perf_counter()
    import ctypes
    import numpy
    import torch
    from scipy.optimize import linear_sum_assignment
    imported = time.perf_counter()

    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float32)
    metadata, tensors, samples = load_data(args.data, numpy)
    base_seed = int(metadata["seed"]) if args.seed is None else args.seed
    experiment = Experiment(tensors, samples, args.steps, args.eval_every, torch, numpy, linear_sum_assignment)
    steps_logged = list(range(0, args.steps, args.eval_every))

    results = {}
    for method in args.methods:
        method_started = time.perf_counter()
        curves = []
        for i in range(args.seeds):
            curves.append(experiment.run(method, base_seed + i))
        seconds = time.perf_counter() - method_started
        mean_curve = numpy.mean(numpy.array(curves), axis=0)
        finals = [curve[-1] for curve in curves]
        peak = int(numpy.argmax(mean_curve))
        results[method] = {
            "finalMccMean": float(numpy.mean(finals)),
            "finalMccStd": float(numpy.std(finals)),
            "finalMcc": finals,
            "peakMcc": float(mean_curve[peak]),
            "peakStep": steps_logged[peak],
            "wallSeconds": seconds,
            "curveSteps": steps_logged,
            "curveMccMean": [float(v) for v in mean_curve],
        }
        print("%-8s final MCC %.4f +- %.4f, peak %.4f at step %d, %.2f s" % (
            method, results[method]["finalMccMean"], results[method]["finalMccStd"], results[method]["peakMcc"],
            results[method]["peakStep"], seconds), flush=True)
    finished = time.perf_counter()

    report = {
        "peer": "pytorch",
        "experiment": "known-d",
        "data": os.path.abspath(args.data),
        "dataConfig": metadata,
        "steps": args.steps,
        "seeds": args.seeds,
        "baseSeed": base_seed,
        "threads": args.threads,
        "evalEvery": args.eval_every,
        "methods": results,
        # From the first line after the imports to the end of the last method: data loading, all runs, all evaluations.
        "wallSeconds": finished - imported,
        "importSeconds": imported - started,
        "environment": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "numpy": numpy.__version__,
            "torchThreads": torch.get_num_threads(),
            "openblas": openblas_core(ctypes),
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "cpu": cpu_model(),
        },
    }
    print("total %.2f s (%d threads, %d steps, %d seeds)" % (report["wallSeconds"], args.threads, args.steps,
                                                              args.seeds), flush=True)
    if args.json_out:
        with open(args.json_out, "w") as handle:
            json.dump(report, handle, indent=1)
            handle.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
