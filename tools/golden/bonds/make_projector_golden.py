#!/usr/bin/python3
"""Write the projector checkpoint fixtures for tests/FreeBind.Core.Tests/Bonds/Checkpoints.

Run with Debian's interpreter, which has python3-torch 1.13:

    /usr/bin/python3 tools/golden/bonds/make_projector_golden.py

Each case builds a FreeBind-style projector (Linear → BatchNorm1d → activation → Linear →
BatchNorm1d, or Linear → activation → Linear without BatchNorm) as `Head2.mlps` under a
wrapper module. The BatchNorm layers get random affine parameters and running statistics,
which a few train-mode passes then update. The state_dict is saved with torch.save in the
zip format. cases.json lists every case with a batch of 4 inputs and
PyTorch's eval-mode outputs after F.normalize; Python floats are written with repr, so each
float32 value survives exactly.

Extra files: a wrapped checkpoint ({"state_dict": ..., "epoch": 1}), a float16 checkpoint,
a checkpoint whose tensors are strided views sharing one storage, a safetensors copy written
by hand (the safetensors package is not installed), a legacy (non-zip) torch.save file and a
checkpoint holding an argparse.Namespace, which readers must reject.
"""
import argparse
import json
import os
import struct
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

OUT = os.path.join(os.path.dirname(__file__),
                   "../../../tests/FreeBind.Core.Tests/Fixtures/Bonds")

ACTIVATIONS = {
    "relu": nn.ReLU,
    "gelu": nn.GELU,  # approximate="none": exact erf form
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
}


class Head(nn.Module):
    def __init__(self, dims, activation, batch_norm):
        super().__init__()
        in_dim, hidden, out_dim = dims
        act = ACTIVATIONS[activation]()
        if batch_norm:
            self.mlps = nn.Sequential(
                nn.Linear(in_dim, hidden), nn.BatchNorm1d(hidden), act,
                nn.Linear(hidden, out_dim), nn.BatchNorm1d(out_dim))
        else:
            self.mlps = nn.Sequential(
                nn.Linear(in_dim, hidden), act, nn.Linear(hidden, out_dim))

    def forward(self, x):
        return F.normalize(self.mlps(x), dim=-1)


class Wrapper(nn.Module):
    """Puts the projector at Head2.mlps, the key layout of the official FreeBind checkpoints."""

    def __init__(self, dims, activation, batch_norm):
        super().__init__()
        self.Head2 = Head(dims, activation, batch_norm)

    def forward(self, x):
        return self.Head2(x)


def build(dims, activation, batch_norm, seed):
    torch.manual_seed(seed)
    model = Wrapper(dims, activation, batch_norm)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm1d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.3)
                module.running_mean.normal_(0.0, 0.5)
                module.running_var.uniform_(0.3, 2.0)
    if batch_norm:
        # Momentum updates of the running statistics, as during training.
        model.train()
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn(6, dims[0]) * 1.5 + 0.2)
    model.eval()
    return model


def golden_outputs(model, inputs):
    with torch.no_grad():
        return model(inputs)


def rows(tensor):
    return [[float(v) for v in row] for row in tensor.tolist()]


def case_entry(name, file, dims, activation, batch_norm, inputs, outputs, prefix="Head2.mlps."):
    return {
        "name": name, "file": file, "prefix": prefix,
        "inputDimension": dims[0], "hiddenDimension": dims[1], "outputDimension": dims[2],
        "activation": activation, "batchNorm": batch_norm,
        "inputs": rows(inputs), "outputs": rows(outputs),
    }


SAFETENSORS_DTYPES = {
    np.dtype(np.float32): "F32", np.dtype(np.float16): "F16",
    np.dtype(np.float64): "F64", np.dtype(np.int64): "I64",
}


def write_safetensors(path, state_dict, metadata):
    """Write the safetensors layout: u64 header length, JSON header, then the tensor bytes."""
    header = OrderedDict()
    header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for key, tensor in state_dict.items():
        array = tensor.detach().cpu().contiguous().numpy()
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[key] = {
            "dtype": SAFETENSORS_DTYPES[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    specs = [
        ("relu_bn_8_16_6", (8, 16, 6), "relu", True, 11),
        ("gelu_bn_12_32_12", (12, 32, 12), "gelu", True, 12),
        ("silu_bn_5_7_3", (5, 7, 3), "silu", True, 13),
        ("tanh_bn_8_16_6", (8, 16, 6), "tanh", True, 14),
        ("relu_nobn_5_7_3", (5, 7, 3), "relu", False, 15),
        ("gelu_nobn_12_32_12", (12, 32, 12), "gelu", False, 16),
    ]
    models = {}
    for name, dims, activation, batch_norm, seed in specs:
        model = build(dims, activation, batch_norm, seed)
        models[name] = model
        inputs = torch.randn(4, dims[0])
        torch.save(model.state_dict(), os.path.join(OUT, name + ".pt"))
        cases.append(case_entry(name, name + ".pt", dims, activation, batch_norm,
                                inputs, golden_outputs(model, inputs)))

    # A training checkpoint that wraps the state_dict.
    model = models["relu_bn_8_16_6"]
    inputs = torch.randn(4, 8)
    torch.save({"state_dict": model.state_dict(), "epoch": 1},
               os.path.join(OUT, "wrapped_relu_bn_8_16_6.pt"))
    cases.append(case_entry("wrapped", "wrapped_relu_bn_8_16_6.pt", (8, 16, 6), "relu", True,
                            inputs, golden_outputs(model, inputs)))

    # float16 storage: the reference runs in float32 on the float16-rounded parameters.
    model = build((12, 32, 12), "gelu", True, 21)
    model.half()
    torch.save(model.state_dict(), os.path.join(OUT, "float16_gelu_bn_12_32_12.pt"))
    model.float()
    inputs = torch.randn(4, 12)
    cases.append(case_entry("float16", "float16_gelu_bn_12_32_12.pt", (12, 32, 12), "gelu", True,
                            inputs, golden_outputs(model, inputs)))

    # Strided views: a transposed weight, and biases that are offsets into one shared storage.
    model = build((5, 7, 3), "relu", True, 22)
    with torch.no_grad():
        mlps = model.Head2.mlps
        weight1 = torch.empty(5, 7)
        weight1.copy_(mlps[0].weight.t())
        shared = torch.randn(20)
        shared[2:9] = mlps[0].bias
        shared[11:14] = mlps[3].bias
        mlps[0].weight = nn.Parameter(weight1.t())
        mlps[0].bias = nn.Parameter(shared[2:9])
        mlps[3].bias = nn.Parameter(shared[11:14])
    assert not mlps[0].weight.is_contiguous()
    state = model.state_dict()
    assert state["Head2.mlps.0.bias"].storage_offset() == 2
    torch.save(state, os.path.join(OUT, "strided_relu_bn_5_7_3.pt"))
    inputs = torch.randn(4, 5)
    cases.append(case_entry("strided", "strided_relu_bn_5_7_3.pt", (5, 7, 3), "relu", True,
                            inputs, golden_outputs(model, inputs)))

    # A safetensors copy of one case, with the same keys as the .pt file.
    write_safetensors(os.path.join(OUT, "silu_bn_5_7_3.safetensors"),
                      models["silu_bn_5_7_3"].state_dict(),
                      {"format": "pt", "source": "make_projector_golden.py"})

    # Files the reader must reject.
    small = {"w": torch.arange(4, dtype=torch.float32)}
    torch.save(small, os.path.join(OUT, "legacy_format.pt"), _use_new_zipfile_serialization=False)
    torch.save({"w": small["w"], "args": argparse.Namespace(lr=0.1)},
               os.path.join(OUT, "namespace_global.pt"))

    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
