"""Shared helpers for the Python peer of the benchmark (torch.py): the workload constants, the
mulberry32 generator (the same numbers as common.mjs, element for element), timing and the JSON
line format of the JS scripts. Adapted from our team's peer-baseline common.py; W6, the quick and
override timings and the output fields follow common.mjs."""
import json
import resource
import statistics
import sys
import time

import numpy as np

W1_SIZES = [128, 512, 1024]
W1_INNER = {128: 50, 512: 4, 1024: 1}
MLP = dict(sizes=[784, 512, 512, 10], batch=128, lr=0.01, warm=5, reps=7, inner=10)
W3_N = 1_000_000
W4 = dict(n=16, calls=10_000, warm_calls=1_000, reps=5)
W5 = dict(batch=32, hw=28, c0=1, c1=16, c2=32, k=3, warm=1, reps=5)
W6 = dict(batch=128, hw=28, c1=32, c2=64, hidden=128, classes=10, k=3, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8,
          warm=40, reps=5, inner=10, loss_at=20)
SIZES = dict(W2="784-512-512-10 b128", W3="1e6", W4="16", W5="32x28x28x1 k3 16,32", W6="CNN 128x28x28x1 32,64,128,10 Adam")


def _mulberry32(n, seed):
    """Vectorised mulberry32 (the stream of common.mjs rng())."""
    s = (seed + 0x6D2B79F5 * np.arange(1, n + 1, dtype=np.uint64)) & 0xFFFFFFFF
    t = s.astype(np.uint64)
    m = 0xFFFFFFFF
    t = ((t ^ (t >> 15)) * (t | 1)) & m
    t = (t ^ (t + (((t ^ (t >> 7)) * (t | 61)) & m))) & m
    return ((t ^ (t >> 14)) & m).astype(np.float64) / 4294967296.0


def uniform(n, lo, hi, seed):
    return (lo + (hi - lo) * _mulberry32(n, seed)).astype(np.float32)


def randint(n, hi, seed):
    return np.floor(_mulberry32(n, seed) * hi).astype(np.int64)


def mlp_init():
    s = MLP["sizes"]
    out = []
    for i in range(len(s) - 1):
        bound = 1 / np.sqrt(s[i])
        out.append((uniform(s[i] * s[i + 1], -bound, bound, 100 + i).reshape(s[i], s[i + 1]),
                    np.zeros(s[i + 1], np.float32)))
    return out  # list of (W[in,out], b[out])


def mlp_data():
    return uniform(MLP["batch"] * MLP["sizes"][0], 0, 1, 7).reshape(MLP["batch"], -1), randint(MLP["batch"], 10, 8)


def w6_init():
    """W6's (weight, bias) pairs as common.mjs w6Init: HWIO convolutions, [in, out] dense layers."""
    p = W6
    k, flat = p["k"], (p["hw"] // 4) ** 2 * p["c2"]
    shapes = [(k, k, 1, p["c1"]), (k, k, p["c1"], p["c2"]), (flat, p["hidden"]), (p["hidden"], p["classes"])]
    out = []
    for i, shape in enumerate(shapes):
        fan_in = int(np.prod(shape[:-1]))
        bound = 1 / np.sqrt(fan_in)
        out.append((uniform(fan_in * shape[-1], -bound, bound, 200 + i).reshape(shape), np.zeros(shape[-1], np.float32)))
    return out


def w6_data():
    p = W6
    return uniform(p["batch"] * p["hw"] ** 2, 0, 1, 12).reshape(p["batch"], p["hw"], p["hw"], 1), randint(p["batch"], p["classes"], 13)


def timeit(fn, warm=2, reps=7, inner=1):
    """Per-call seconds of each timed sample (each sample = `inner` calls)."""
    for _ in range(warm * inner):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return samples


def timing(workload, args, n=None):
    """The timing of one workload (as common.mjs timing()): --quick, then --warm/--reps/--inner/--warmCalls overrides."""
    quick = "quick" in args
    base = dict(
        W1=lambda: dict(warm=2, reps=7, inner=W1_INNER[n]),
        W2=lambda: dict(warm=MLP["warm"], reps=MLP["reps"], inner=MLP["inner"]),
        W3=lambda: dict(warm=3, reps=7, inner=5),
        W4=lambda: dict(warm=0, reps=W4["reps"], inner=W4["calls"], warmCalls=W4["warm_calls"]),
        W5=lambda: dict(warm=W5["warm"], reps=W5["reps"], inner=1),
        W6=lambda: dict(warm=W6["warm"], reps=W6["reps"], inner=W6["inner"]),
    )
    fast = dict(
        W1=lambda: dict(warm=1, reps=3, inner=max(1, W1_INNER[n] >> 2)),
        W2=lambda: dict(warm=1, reps=3, inner=3),
        W3=lambda: dict(warm=1, reps=3, inner=2),
        W4=lambda: dict(warm=0, reps=3, inner=1000, warmCalls=100),
        W5=lambda: dict(warm=1, reps=2, inner=1),
        W6=lambda: dict(warm=1, reps=2, inner=10),
    )
    t = (fast if quick else base)[workload]()
    for k in ("warm", "reps", "inner", "warmCalls"):
        if k in args:
            t[k] = int(args[k])
    return t


def median(xs):
    return statistics.median(xs)


def spread(s):
    return round((max(s) - min(s)) / statistics.median(s), 3)


def report(rec):
    rec["maxRssMB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(rec), flush=True)


def parse_args(argv=None):
    """--key value, --key=value and bare --flag (as common.mjs parseArgs)."""
    argv = sys.argv[1:] if argv is None else argv
    out = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            if "=" in a:
                k, v = a[2:].split("=", 1)
            elif i + 1 < len(argv) and not argv[i + 1].startswith("--"):
                k, v = a[2:], argv[i + 1]
                i += 1
            else:
                k, v = a[2:], "1"
            out[k] = v
        i += 1
    return out
