#!/bin/sh
# Regenerates what real Python/PyTorch gives for the construct tests here, with Debian's python3-torch:
# values_expected.json (record_values.py over values/*.py) and expected/ + the generated fields of manifest.json
# (the shared oracle generator, ../shared/oracle/make_oracle.py from the repository, over models/).
set -e
here=$(cd "$(dirname "$0")" && pwd)
gen=${ORACLE_GENERATOR:-$here/../../../../shared/oracle/make_oracle.py}
/usr/bin/python3 "$here/record_values.py"
/usr/bin/python3 "$gen" --manifest "$here/manifest.json" --no-numerics --no-onnx
