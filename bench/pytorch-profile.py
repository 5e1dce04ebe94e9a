"""Where PyTorch's W6 step spends its time: torch.profiler over 10 steps after 60 warm ones, the
top operators by self CPU time (the same model, data and optimizer as pytorch.py).
Usage: /usr/bin/python3 bench/pytorch-profile.py [--threads N]
"""
import os
import sys
import time

os.environ.setdefault("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=268435456")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else os.cpu_count()

import torch  # noqa: E402
from torch.profiler import ProfilerActivity, profile  # noqa: E402

torch.set_num_threads(threads)
from common import W6, w6_data  # noqa: E402
from pytorch import T, W6Net  # noqa: E402

model = W6Net()
xs, ys = w6_data()
x = T(xs).permute(0, 3, 1, 2).contiguous()
y = torch.from_numpy(ys)
crit = torch.nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=W6["lr"], betas=(W6["b1"], W6["b2"]), eps=W6["eps"])


def step():
    opt.zero_grad(set_to_none=True)
    loss = crit(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(60):
    step()
t = time.perf_counter()
for _ in range(20):
    step()
print(f"# torch {torch.__version__}, {threads} threads; W6 step {(time.perf_counter() - t) / 20 * 1e3:.1f} ms (mean of 20)")
with profile(activities=[ProfilerActivity.CPU]) as prof:
    for _ in range(10):
        step()
print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
