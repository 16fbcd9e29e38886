#!/usr/bin/env python3
"""Records what real Python computes for the value programs in values/ (the project's tests compare the analysis with it).

Every module-level name starting with `r_` is recorded as repr() of its value (values are plain: numbers,
strings, None, and tuples/lists/dicts of them). Output: values_expected.json next to this script.
Usage: /usr/bin/python3 record_values.py
"""
import json
import os
import runpy
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    out = {}
    folder = os.path.join(HERE, "values")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        g = runpy.run_path(os.path.join(folder, name), run_name="__main__")
        out[name] = {k: repr(v) for k, v in g.items() if k.startswith("r_")}
    with open(os.path.join(HERE, "values_expected.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"recorded {sum(len(v) for v in out.values())} values from {len(out)} files")


if __name__ == "__main__":
    main()
