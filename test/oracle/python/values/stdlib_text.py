# re, math, numbers, string formatting (%, str.format, f-string format specs) and numpy on constants.
import math
import numbers
import re

import numpy as np

def decode(s):
    ops = s.split("_")
    options = {}
    for op in ops:
        splits = re.split(r"(\d.*)", op)
        if len(splits) >= 2:
            key, value = splits[:2]
            options[key] = value
    return options

r_decode = decode("r1_k3_s11_e1_i32_o16_se0.25")
r_split_plain = re.split(r"[,;]\s*", "a, b;c")
r_split_max = re.split(r"\s+", "a b  c d", maxsplit=2)
r_sub = re.sub(r"(\w+)\.(\d+)", r"\2_\1", "layer.1 block.22")
r_sub_fn = re.sub(r"\d+", lambda m: str(int(m.group(0)) * 2), "a1b22")
r_sub_named = re.sub(r"(?P<name>[a-z]+)(?P<num>\d)", r"\g<num>\g<name>", "ab1cd2")
m = re.match(r"(\w+)_(\d+)x(\d+)", "vit_224x224_extra")
r_match = (m.group(0), m.group(1), m.groups(), m.start(2), m.end(2), m.span(3))
r_match_none = re.match(r"\d", "x1") is None
r_search = re.search(r"\d+", "abc123def").group()
r_fullmatch = (re.fullmatch(r"[a-z]+", "abc") is not None, re.fullmatch(r"[a-z]+", "abc1") is not None)
r_findall = re.findall(r"(\w)(\d)", "a1 b2 c3")
r_findall_plain = re.findall(r"\d+", "x10 y200 z3")
pat = re.compile(r"^blocks\.(\d+)\.(attn|mlp)", re.IGNORECASE)
r_compiled = pat.match("Blocks.3.ATTN.qkv").groups()
r_named = re.match(r"(?P<stage>\w+?)(?P<idx>\d+)", "layer4").groupdict()
r_empty_split = re.split(r"x*", "axbc")
r_escape = re.escape("a.b*c")

r_math = (math.ceil(7 / 2), math.floor(-1.5), math.sqrt(16.0), math.log(8, 2), math.gcd(12, 18), math.prod([2, 3, 4]))
r_math_more = (math.isclose(0.1 + 0.2, 0.3), math.comb(5, 2), math.factorial(5), math.isinf(math.inf), round(math.erf(0.5), 6))
r_trunc_normal = round((1.0 + math.erf(2.0 / math.sqrt(2.0))) / 2.0, 8)
r_numbers = (isinstance(3, numbers.Integral), isinstance(2.5, numbers.Integral), isinstance(2.5, numbers.Real), isinstance(True, numbers.Number))

r_percent = ("level_%d" % 3, "%s-%s" % ("a", 1), "%05.1f" % 2.25, "%-6s|" % "ab", "%x" % 255, "%r" % "q", "%3d%%" % 50)
r_format = ("{}_{}".format("conv", 2), "{0}{1}{0}".format("a", "b"), "{name}:{v:.3f}".format(name="lr", v=0.1234567), "{:>8}".format("r"), "{:<5}|".format("l"), "{:^7}".format("c"))
r_format_spec = (format(3.14159, ".2f"), format(42, "05d"), format(1234567, ","), format(0.25, ".1%"), format(255, "#x"), format(3, "b"), format(1e-5, "g"), format(123456789.0, ".3e"))
width = 10
val = 2.5
r_fstring = (f"{val:.2f}", f"{val:{width}.1f}", f"{'x':*^5}", f"{42:+d}", f"{val!r}", f"{[1, 2]}", f"{3:03}", f"{'s'!s:>3}")
r_format_index = "{0[1]}-{1[k]}".format([7, 8], {"k": "v"})
r_float_repr = (str(0.1 + 0.2), str(1e-5), str(1e16), str(2.0), repr(1 / 3), str(123456.789))

r_np_array = np.array([[1, 2], [3, 4]]).tolist()
r_np_eye = np.eye(3).tolist()
r_np_prod = int(np.prod([2, 3, 4]))
r_np_linspace = [round(x, 4) for x in np.linspace(0, 1, 5).tolist()]
r_np_scalar = (float(np.sqrt(16.0)), float(np.log(1.0)), int(np.floor(3.7)), float(np.pi) == math.pi)
r_np_astype = np.array([1.5, 2.5]).astype(np.float32).tolist()
