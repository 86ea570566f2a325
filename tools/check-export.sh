#!/usr/bin/env bash
# Checks `freebind export-onnx` end to end with real tools. It imports a projector that PyTorch
# saved (a committed golden fixture) and writes a bond file around it. Then it exports the audio
# fusion as ONNX and validates the model with onnx.checker (Debian python3-onnx).
# Not part of CI, which has no Python packages; the C# tests load the same graphs in ONNX Runtime.
# Usage: tools/check-export.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

freebind=(dotnet run --project "$root/FreeBind.Client" --)
fixture="$root/tests/FreeBind.Core.Tests/Fixtures/Bonds/relu_bn_8_16_6.pt"

# The fixture projects 8-d into 6-d: an 8-d audio-text expert bonded into a 6-d base space.
"${freebind[@]}" import-checkpoint --checkpoint "$fixture" --output "$work/projectors/e/mix"
cat > "$work/bonds.json" <<'JSON'
{
  "name": "bonded", "base": "u",
  "spaces": { "u": { "dimension": 6, "modalities": ["audio", "text"] },
              "e": { "dimension": 8, "modalities": ["audio", "text"] } },
  "bonds": [ { "name": "c-e", "kind": "combination", "experts": ["e"],
               "projectors": { "e": "projectors/e" }, "factors": { "audio": 0.8, "text": 0.5 } } ],
  "profiles": { "versatile": { "c-e": { "audio": 0.5, "text": 0.1 } } }
}
JSON
"${freebind[@]}" export-onnx --bonds "$work/bonds.json" --profile versatile --modality audio --output "$work/audio.onnx"

/usr/bin/python3 - "$work/audio.onnx" <<'PY'
import sys
import onnx
model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print("onnx.checker: ok;", "inputs:", [i.name for i in model.graph.input], "outputs:", [o.name for o in model.graph.output])
PY
echo "export check passed"
