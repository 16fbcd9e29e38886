#!/bin/sh
# Regenerates expected/ (and the generated fields of manifest.json) for these idiom models with Debian's
# python3-torch, using the shared oracle generator (../shared/oracle/make_oracle.py from the repository).
set -e
here=$(cd "$(dirname "$0")" && pwd)
gen=${ORACLE_GENERATOR:-$here/../../../../shared/oracle/make_oracle.py}
/usr/bin/python3 "$gen" --manifest "$here/manifest.json" --no-numerics --no-onnx
