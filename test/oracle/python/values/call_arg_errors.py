# Arguments that do not fit a call raise TypeError, which code catches to probe a signature
# (timm's create_act_layer: `try: act_layer(inplace=inplace) except TypeError: act_layer()`).
from dataclasses import dataclass

import torch.nn as nn


def make(layer, inplace=None, **kwargs):
    if inplace is None:
        return layer(**kwargs)
    try:
        return layer(inplace=inplace, **kwargs)
    except TypeError:
        return layer(**kwargs)


def plain(a, b=2):
    return a + b


@dataclass
class Cfg:
    depth: int = 1


r_gelu = type(make(nn.GELU, inplace=True)).__name__
r_relu = (type(make(nn.ReLU, inplace=True)).__name__, make(nn.ReLU, inplace=True).inplace)
r_sigmoid = type(make(nn.Sigmoid, inplace=False)).__name__

try:
    r_user_kw = plain(1, c=3)
except TypeError:
    r_user_kw = "TypeError"
try:
    r_user_many = plain(1, 2, 3)
except TypeError:
    r_user_many = "TypeError"
try:
    r_user_missing = plain()
except (ValueError, TypeError):
    r_user_missing = "TypeError"
try:
    r_dc_kw = Cfg(width=3).depth
except TypeError:
    r_dc_kw = "TypeError"
try:
    r_linear = nn.Linear(4, 2, bogus=1).out_features
except Exception:
    r_linear = "caught"
r_ok = plain(1, b=5)


def local_names(embed_dims=(64, 128), depths=(2, 2), num_levels=2):
    found = []
    for name in ["embed_dims", "depths"]:
        value = locals()[name]
        found.append((name, len(value) == num_levels))
    return found, sorted(k for k in locals() if not k.startswith("_"))


r_locals = local_names()
r_module_locals = "r_ok" in locals()
