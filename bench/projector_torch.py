"""PyTorch side of bench/projector.sh: the same projector ensemble as FreeBind.ProjectorBench.

Each projector is Linear -> BatchNorm1d (eval mode, running stats, not folded) -> ReLU -> Linear ->
BatchNorm1d, L2-normalised; the ensemble output is the normalised mean. Runs under
torch.no_grad() on CPU with torch.set_num_threads(THREADS). Also prints the measured GFLOP/s of a
4096x512 @ 512x2048 float32 matmul, the machine's GEMM peak as PyTorch's BLAS reaches it.

Usage: /usr/bin/python3 bench/projector_torch.py [--count N] [--batch B] [--threads T] [--members K]
       [--gemm-only]
"""
import argparse
import time

import torch
import torch.nn.functional as F


def gemm_gflops(repeats=10):
    a = torch.randn(4096, 512)
    b = torch.randn(512, 2048)
    for _ in range(2):
        a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    seconds = time.perf_counter() - start
    return 2 * 4096 * 512 * 2048 * repeats / seconds / 1e9


def projector(inputs, hidden, outputs):
    model = torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden),
        torch.nn.BatchNorm1d(hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, outputs),
        torch.nn.BatchNorm1d(outputs),
    )
    for module in model:
        if isinstance(module, torch.nn.BatchNorm1d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
    return model.eval()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--members", type=int, default=14)
    parser.add_argument("--gemm-only", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__} threads={torch.get_num_threads()} gemm_gflops={gemm_gflops():.1f}")
    if args.gemm_only:
        return

    torch.manual_seed(1)
    dims = (512, 2048, 1024)
    members = [projector(*dims) for _ in range(args.members)]
    batch_input = torch.rand(args.batch, dims[0]) * 2 - 1

    def ensemble(x):
        total = sum(F.normalize(member(x), dim=-1) for member in members)
        return F.normalize(total / len(members), dim=-1)

    with torch.no_grad():
        ensemble(batch_input)
        done = 0
        start = time.perf_counter()
        while done < args.count:
            rows = min(args.batch, args.count - done)
            ensemble(batch_input[:rows])
            done += rows
        seconds = time.perf_counter() - start

    flops = 2.0 * args.count * args.members * (dims[0] * dims[1] + dims[1] * dims[2])
    print(
        f"torch members={args.members} dims=512x2048x1024 batch={args.batch} threads={args.threads} "
        f"count={args.count} seconds={seconds:.2f} embeddings_per_s={args.count / seconds:.1f} "
        f"gflops={flops / seconds / 1e9:.1f}"
    )


if __name__ == "__main__":
    main()
