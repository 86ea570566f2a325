"""PyTorch side of bench/train.sh: the same projector training step as FreeBind.TrainBench.

One Linear(512, 2048) -> BatchNorm1d -> ReLU -> Linear(2048, 1024) -> BatchNorm1d projector in train
mode, L2-normalised, symmetric InfoNCE against fixed targets (temperature 0.07), AdamW (lr 1e-4,
weight decay 0.01 on the Linear weights) and gradient clipping at norm 1.0, on CPU with
torch.set_num_threads(THREADS). Also prints the measured GFLOP/s of a 4096x512 @ 512x2048 float32
matmul; a value near 7 means torch uses the reference BLAS rather than OpenBLAS.

Usage: /usr/bin/python3 bench/train_torch.py [--batch B] [--steps N] [--threads T]
"""
import argparse
import math
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__} threads={torch.get_num_threads()} gemm_gflops={gemm_gflops():.1f}")

    torch.manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(512, 2048), torch.nn.BatchNorm1d(2048), torch.nn.ReLU(),
        torch.nn.Linear(2048, 1024), torch.nn.BatchNorm1d(1024)).train()
    decay = [model[0].weight, model[3].weight]
    rest = [p for p in model.parameters() if all(p is not q for q in decay)]
    optimizer = torch.optim.AdamW(
        [dict(params=decay, weight_decay=0.01), dict(params=rest, weight_decay=0.0)], lr=1e-4)
    source = torch.rand(args.batch, 512) * 2 - 1
    target = F.normalize(torch.rand(args.batch, 1024) * 2 - 1, dim=-1)
    labels = torch.arange(args.batch)
    scale = 1 / 0.07

    def step():
        optimizer.zero_grad()
        z = F.normalize(model(source), dim=-1)
        logits = scale * z @ target.T
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return float(loss)

    step()
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    seconds = time.perf_counter() - start
    print(
        f"torch dims=512x2048x1024 batch={args.batch} threads={args.threads} steps={args.steps} "
        f"seconds={seconds:.2f} pairs_per_s={args.batch * args.steps / seconds:.1f} loss={loss:.4f}"
    )
    assert math.isfinite(loss)


if __name__ == "__main__":
    main()
