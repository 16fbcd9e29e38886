"""Times PyTorch eager forward passes of a model class on a fixed input at given thread counts; prints JSON.

usage: /usr/bin/python3 bench/torchEager.py MODEL.py CLASS N,C,H,W THREADS[,THREADS...] RUNS

The input is the one bench/runnerChild.ts feeds (x[i] = sin(0.37 i), float32), so both sides compute the same thing.
Weights are PyTorch's default initialisation: timing does not depend on their values.
"""
import importlib.util
import json
import statistics
import sys
import time

import torch


def main():
    path, cls, shape_text, threads_text, runs_text = sys.argv[1:6]
    spec = importlib.util.spec_from_file_location("bench_model", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = getattr(mod, cls)().eval()
    shape = [int(d) for d in shape_text.split(",")]
    n = 1
    for d in shape:
        n *= d
    x = torch.sin(torch.arange(n, dtype=torch.float64) * 0.37).to(torch.float32).reshape(shape)
    out = []
    for threads in [int(t) for t in threads_text.split(",")]:
        torch.set_num_threads(threads)
        times = []
        with torch.no_grad():
            model(x)  # warm-up: allocator and kernel selection
            for _ in range(int(runs_text)):
                t0 = time.perf_counter()
                model(x)
                times.append((time.perf_counter() - t0) * 1000)
        out.append({"threads": threads, "medianMs": statistics.median(times), "times": times})
    print(json.dumps({"torch": torch.__version__, "runs": out}))


if __name__ == "__main__":
    main()
