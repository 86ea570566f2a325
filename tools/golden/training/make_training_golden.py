"""Write golden values for FreeBind.Training: one projector trained for a few AdamW steps.

Each case builds Linear -> BatchNorm1d -> activation -> Linear -> BatchNorm1d (BatchNorm in
train mode), L2-normalises the output, and trains it on a fixed batch with the symmetric InfoNCE
loss plus an optional mean squared error term:

    logits = scale * z @ t.T
    loss = (CE(logits, arange) + CE(logits.T, arange)) / 2 + mse_weight * mean_i ||z_i - t_i||^2

AdamW has two parameter groups: Linear weights with weight decay, everything else (biases,
BatchNorm scale and shift, the learnable log-scale) without. Gradients are clipped by their
global L2 norm before each step. The learning rate follows linear warm-up then cosine decay.

With BatchNorm, the gradients of the biases before each BatchNorm are set to zero before
clipping, because they are zero in exact arithmetic (BatchNorm subtracts the batch mean).

The JSON stores inputs, initial weights, step 1's loss and gradients (before clipping) and, after
all steps, the weights, BatchNorm running statistics and every step's loss and learning rate.

Usage: /usr/bin/python3 tools/golden/training/make_training_golden.py
Writes tests/FreeBind.Core.Tests/Fixtures/training/cases.json (torch 1.13.1 on CPU, float32).
"""
import json
import math
import os

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT = os.path.join(ROOT, "tests", "FreeBind.Core.Tests", "Fixtures", "training", "cases.json")

CASES = [
    dict(name="relu_bn_8_16_6_b5", dims=(8, 16, 6), batch=5, activation="relu", batch_norm=True,
         mse_weight=0.0, learnable=False, clip=1.0, seed=1),
    dict(name="gelu_bn_12_32_10_b9_mse", dims=(12, 32, 10), batch=9, activation="gelu", batch_norm=True,
         mse_weight=0.5, learnable=True, clip=0.5, seed=2),
    dict(name="relu_bn_12_32_10_b9_learnable", dims=(12, 32, 10), batch=9, activation="relu", batch_norm=True,
         mse_weight=0.0, learnable=True, clip=0.0, seed=3),
    dict(name="gelu_nobn_8_16_6_b5_mse", dims=(8, 16, 6), batch=5, activation="gelu", batch_norm=False,
         mse_weight=0.25, learnable=False, clip=1.0, seed=4),
]

TEMPERATURE = 0.07
MAX_SCALE = 100.0
LR = 1e-2
BETAS = (0.9, 0.999)
EPS = 1e-8
WEIGHT_DECAY = 0.01
STEPS = 3
WARMUP = 2
TOTAL = 5
MIN_LR_RATIO = 0.1


def lr_factor(step):
    # step is the 0-based index of the update about to be made.
    if step < WARMUP:
        return (step + 1) / WARMUP
    progress = min(1.0, (step - WARMUP) / max(1, TOTAL - WARMUP))
    return MIN_LR_RATIO + (1 - MIN_LR_RATIO) * 0.5 * (1 + math.cos(math.pi * progress))


def flat(tensor):
    return [float(v) for v in tensor.detach().reshape(-1).tolist()]


def make_case(spec):
    torch.manual_seed(spec["seed"])
    d_in, d_hidden, d_out = spec["dims"]
    act = torch.nn.ReLU() if spec["activation"] == "relu" else torch.nn.GELU()
    if spec["batch_norm"]:
        model = torch.nn.Sequential(
            torch.nn.Linear(d_in, d_hidden), torch.nn.BatchNorm1d(d_hidden), act,
            torch.nn.Linear(d_hidden, d_out), torch.nn.BatchNorm1d(d_out))
        with torch.no_grad():
            for index in (1, 4):
                model[index].weight.uniform_(0.5, 1.5)
                model[index].bias.uniform_(-0.2, 0.2)
                model[index].running_mean.uniform_(-0.1, 0.1)
                model[index].running_var.uniform_(0.5, 1.5)
        first, second = model[0], model[3]
    else:
        model = torch.nn.Sequential(torch.nn.Linear(d_in, d_hidden), act, torch.nn.Linear(d_hidden, d_out))
        first, second = model[0], model[2]
    model.train()

    source = torch.randn(spec["batch"], d_in)
    target = F.normalize(torch.randn(spec["batch"], d_out), dim=-1)
    log_scale = torch.nn.Parameter(torch.tensor(math.log(1 / TEMPERATURE)), requires_grad=spec["learnable"])

    initial = {key: flat(value) for key, value in model.state_dict().items() if "num_batches" not in key}

    decay = [first.weight, second.weight]
    no_decay = [p for p in model.parameters() if all(p is not q for q in decay)]
    if spec["learnable"]:
        no_decay.append(log_scale)
    optimizer = torch.optim.AdamW(
        [dict(params=decay, weight_decay=WEIGHT_DECAY), dict(params=no_decay, weight_decay=0.0)],
        lr=LR, betas=BETAS, eps=EPS)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)

    losses, rates, gradients, total_norm = [], [], None, None
    labels = torch.arange(spec["batch"])
    for step in range(STEPS):
        optimizer.zero_grad()
        z = F.normalize(model(source), dim=-1)
        scale = log_scale.exp().clamp(max=MAX_SCALE)
        logits = scale * z @ target.T
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
        if spec["mse_weight"] > 0:
            loss = loss + spec["mse_weight"] * ((z - target) ** 2).sum(dim=1).mean()
        loss.backward()
        if step == 0:
            gradients = {name: flat(p.grad) for name, p in model.named_parameters()}
            if spec["learnable"]:
                gradients["log_scale"] = [float(log_scale.grad)]
        if spec["batch_norm"]:
            # A bias right before BatchNorm has an exactly zero gradient. Autograd leaves round-off
            # there, which AdamW would turn into real steps, so it is zeroed as FreeBind.Training does.
            first.bias.grad.zero_()
            second.bias.grad.zero_()
        parameters = list(model.parameters()) + ([log_scale] if spec["learnable"] else [])
        if spec["clip"] > 0:
            norm = torch.nn.utils.clip_grad_norm_(parameters, spec["clip"])
        else:
            norm = torch.norm(torch.stack([p.grad.norm() for p in parameters]))
        if step == 0:
            total_norm = float(norm)
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
        losses.append(float(loss))

    final = {key: flat(value) for key, value in model.state_dict().items() if "num_batches" not in key}
    return dict(
        name=spec["name"], inputDimension=d_in, hiddenDimension=d_hidden, outputDimension=d_out,
        batch=spec["batch"], activation=spec["activation"], batchNorm=spec["batch_norm"],
        mseWeight=spec["mse_weight"], learnableTemperature=spec["learnable"], clipNorm=spec["clip"],
        temperature=TEMPERATURE, learningRate=LR, weightDecay=WEIGHT_DECAY, steps=STEPS,
        warmupSteps=WARMUP, totalSteps=TOTAL, minLearningRateRatio=MIN_LR_RATIO,
        source=flat(source), target=flat(target), initial=initial,
        gradients=gradients, gradientNorm=total_norm, losses=losses, learningRates=rates,
        final=final, finalLogScale=float(log_scale))


def main():
    torch.set_num_threads(1)
    cases = [make_case(spec) for spec in CASES]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as handle:
        json.dump(dict(generator="tools/golden/training/make_training_golden.py", torch=torch.__version__,
                       cases=cases), handle)
        handle.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
