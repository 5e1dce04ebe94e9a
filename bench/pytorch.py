"""PyTorch (Debian's python3-torch, CPU) on workloads W1-W6, printing the JSON lines of the JS scripts.
Usage: /usr/bin/python3 bench/pytorch.py --threads N --workload W1|W2|W3|W4|W5|W6|all [--quick]
       [--warm N --reps N --inner N --warmCalls N]
Run it with Debian's /usr/bin/python3 (the python3 first on PATH may be another one, without torch);
bench/run.mjs does, with OPENBLAS_NUM_THREADS=N and the machine's OpenBLAS core-type presets unset.
Adapted from our team's peer-baseline torch_bench.py (same calls and completion); W6 and the output
fields are new. Install: apt-get install -y python3-torch libopenblas0-pthread."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import (MLP, SIZES, W1_SIZES, W3_N, W4, W5, W6, median, mlp_data, mlp_init, parse_args,  # noqa: E402
                    randint, report, spread, timeit, timing, uniform, w6_data, w6_init)

args = parse_args()
threads = int(args.get("threads", os.cpu_count() or 1))
torch.set_num_threads(threads)
workload = args.get("workload", "all")
torch.mm(torch.ones(8, 8), torch.ones(8, 8))  # BLAS loaded before we look at what was mapped


def mapped_blas():
    """Which BLAS/LAPACK shared objects this process mapped (reference netlib or OpenBLAS)."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            if any(k in p for k in ("libblas", "liblapack", "openblas", "dnnl", "mkl")):
                libs.add(os.path.realpath(p).split("/x86_64-linux-gnu/")[-1])
    return ",".join(sorted(libs))


META = dict(system="pytorch", version=torch.__version__, threads=torch.get_num_threads(), blas=mapped_blas())
print(f"# torch {torch.__version__} threads={torch.get_num_threads()} blas={META['blas']}", file=sys.stderr)
T = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731


def w1():
    for n in W1_SIZES:
        a, b = T(uniform(n * n, -1, 1, 1).reshape(n, n)), T(uniform(n * n, -1, 1, 2).reshape(n, n))
        t = timing("W1", args, n)
        s = timeit(lambda: torch.mm(a, b), t["warm"], t["reps"], t["inner"])
        m = median(s)
        report(dict(META, workload="W1", size=n, ms=round(m * 1e3, 3), gflops=round(2 * n**3 / m / 1e9, 2), spread=spread(s)))


def w2():
    sizes = MLP["sizes"]
    layers = []
    for i, (w, b) in enumerate(mlp_init()):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            lin.weight.copy_(T(w.T))  # torch stores [out, in]
            lin.bias.copy_(T(b))
        layers += [lin, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    x, y = mlp_data()
    x, y = T(x), torch.from_numpy(y)
    crit = torch.nn.CrossEntropyLoss()  # mean softmax-CE on integer labels
    opt = torch.optim.SGD(model.parameters(), lr=MLP["lr"])
    losses = []

    def step():
        opt.zero_grad(set_to_none=True)
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())

    step()
    t = timing("W2", args)
    s = timeit(step, t["warm"], t["reps"], t["inner"])
    m = median(s)
    report(dict(META, workload="W2", size=SIZES["W2"], ms=round(m * 1e3, 3), stepsPerS=round(1 / m, 1), spread=spread(s),
                firstLoss=round(losses[0], 4), lastLoss=round(losses[-1], 4), steps=len(losses)))


def vg_call(f, *xs):
    """Value and gradients: the value as a Python float, the gradients materialised."""
    xs = [x.detach().requires_grad_(True) for x in xs]
    v = f(*xs)
    torch.autograd.grad(v, xs)
    return v.item()


def w3():
    x = T(uniform(W3_N, -1, 1, 3))
    f = lambda x: (torch.tanh(x * 2 + 1) * x).sum()  # noqa: E731
    out = [0.0]
    t = timing("W3", args)
    s = timeit(lambda: out.__setitem__(0, vg_call(f, x)), t["warm"], t["reps"], t["inner"])
    report(dict(META, workload="W3", size=SIZES["W3"], ms=round(median(s) * 1e3, 3), spread=spread(s), value=out[0]))


def w4():
    w, x, y = (T(uniform(W4["n"], -1, 1, s)) for s in (4, 5, 6))
    f = lambda w: ((w * x - y) ** 2).sum()  # noqa: E731
    out = [0.0]
    call = lambda: out.__setitem__(0, vg_call(f, w))  # noqa: E731
    t = timing("W4", args)
    for _ in range(t["warmCalls"]):
        call()
    s = timeit(call, 0, t["reps"], t["inner"])
    m = median(s)
    report(dict(META, workload="W4", size=SIZES["W4"], ms=round(m * 1e3, 5), us=round(m * 1e6, 2), spread=spread(s), value=out[0]))


def w5():
    p = W5
    k = p["k"]
    x = T(uniform(p["batch"] * p["hw"] ** 2 * p["c0"], 0, 1, 9).reshape(p["batch"], p["hw"], p["hw"], p["c0"])).permute(0, 3, 1, 2).contiguous()
    # the numbers of the JS peers: generated in HWIO order, then permuted to torch's OIHW
    k1 = T(uniform(k * k * p["c0"] * p["c1"], -1 / 3, 1 / 3, 10).reshape(k, k, p["c0"], p["c1"])).permute(3, 2, 0, 1).contiguous()
    k2 = T(uniform(k * k * p["c1"] * p["c2"], -1 / 12, 1 / 12, 11).reshape(k, k, p["c1"], p["c2"])).permute(3, 2, 0, 1).contiguous()
    f = lambda k1, k2: (F.conv2d(F.relu(F.conv2d(x, k1, padding=1)), k2, padding=1) ** 2).sum()  # noqa: E731
    out = [0.0]
    t = timing("W5", args)
    s = timeit(lambda: out.__setitem__(0, vg_call(f, k1, k2)), t["warm"], t["reps"], t["inner"])
    report(dict(META, workload="W5", size=SIZES["W5"], ms=round(median(s) * 1e3, 3), spread=spread(s), value=round(out[0], 2)))


class W6Net(torch.nn.Module):
    """The W6 CNN in torch's NCHW layout; the dense input is flattened in h, w, c order like the NHWC peers'."""

    def __init__(self):
        super().__init__()
        p = W6
        self.conv1 = torch.nn.Conv2d(1, p["c1"], p["k"], padding=1)
        self.conv2 = torch.nn.Conv2d(p["c1"], p["c2"], p["k"], padding=1)
        self.fc1 = torch.nn.Linear((p["hw"] // 4) ** 2 * p["c2"], p["hidden"])
        self.fc2 = torch.nn.Linear(p["hidden"], p["classes"])
        with torch.no_grad():
            for layer, (w, b) in zip((self.conv1, self.conv2, self.fc1, self.fc2), w6_init()):
                # HWIO → OIHW for the convolutions, [in, out] → [out, in] for the dense layers
                layer.weight.copy_(T(w.transpose(3, 2, 0, 1) if w.ndim == 4 else w.T))
                layer.bias.copy_(T(b))

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = h.permute(0, 2, 3, 1).flatten(1)
        return self.fc2(F.relu(self.fc1(h)))


def w6():
    p = W6
    model = W6Net()
    xs, ys = w6_data()
    x = T(xs).permute(0, 3, 1, 2).contiguous()  # NHWC → NCHW
    y = torch.from_numpy(ys)
    crit = torch.nn.CrossEntropyLoss()  # mean softmax-CE on integer labels
    opt = torch.optim.Adam(model.parameters(), lr=p["lr"], betas=(p["b1"], p["b2"]), eps=p["eps"])
    losses = []

    def step():
        opt.zero_grad(set_to_none=True)
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())

    step()
    t = timing("W6", args)
    s = timeit(step, t["warm"], t["reps"], t["inner"])
    m = median(s)
    f = lambda v: None if v is None else round(v, 6)  # noqa: E731
    report(dict(META, workload="W6", size=SIZES["W6"], ms=round(m * 1e3, 3), stepsPerS=round(1 / m, 2), spread=spread(s),
                firstLoss=f(losses[0]), loss20=f(losses[p["loss_at"]] if len(losses) > p["loss_at"] else None),
                lastLoss=f(losses[-1]), steps=len(losses)))


def run():
    failed = False
    for name, fn in dict(W1=w1, W2=w2, W3=w3, W4=w4, W5=w5, W6=w6).items():
        if workload not in ("all", name):
            continue
        try:
            fn()
        except Exception as e:  # one FAIL line per workload, as runWorkloads in common.mjs
            failed = True
            import json
            print(json.dumps(dict(system="pytorch", workload=name, fail=str(e).split("\n")[0][:300])), flush=True)
            import traceback
            traceback.print_exc()
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    run()
