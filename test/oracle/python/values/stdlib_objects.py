# dataclasses, inspect, types, typing and warnings as library code uses them.
import dataclasses
import inspect
import types
import typing
import warnings
from dataclasses import asdict, dataclass, field, replace
from typing import List, Optional, Tuple


@dataclass
class StageCfg:
    depth: int
    width: int = 64
    strides: List[int] = field(default_factory=lambda: [1, 2])
    name: Optional[str] = None

    def __post_init__(self):
        if self.name is None:
            self.name = "stage%d" % self.depth


@dataclass
class NetCfg:
    stem: int = 32
    stage: StageCfg = field(default_factory=lambda: StageCfg(2))


s = StageCfg(3, width=96)
s2 = replace(s, width=128)
r_dataclass = (s.depth, s.width, s.strides, s.name, s2.width, s2.depth, s2.name)
r_asdict = asdict(NetCfg())
r_astuple = dataclasses.astuple(StageCfg(1))
r_fields = [f.name for f in dataclasses.fields(StageCfg)]
r_is_dataclass = (dataclasses.is_dataclass(s), dataclasses.is_dataclass(3))


def block(dim, heads=8, *args, mlp_ratio=4.0, **kwargs):
    return dim


class Layer:
    def __init__(self, channels, norm_layer=None, act="relu"):
        self.channels = channels


sig = inspect.signature(block)
r_sig_names = list(sig.parameters.keys())
r_sig_defaults = [p.default for p in sig.parameters.values() if p.default is not inspect.Parameter.empty]
r_sig_has = ("mlp_ratio" in sig.parameters, "drop" in inspect.signature(block).parameters)
r_init_sig = list(inspect.signature(Layer).parameters)
r_argspec = inspect.getfullargspec(block).args
r_inspect_is = (inspect.isfunction(block), inspect.isclass(Layer), inspect.isclass(block), inspect.isfunction(Layer))

ns = types.SimpleNamespace(k=20, emb_dims=1024)
ns.dropout = 0.5
r_namespace = (ns.k, ns.emb_dims, ns.dropout)
r_function_type = (isinstance(block, types.FunctionType), isinstance(Layer, types.FunctionType), isinstance(lambda x: x, types.LambdaType))

T = typing.TypeVar("T")
r_typing = typing.cast(int, 3) + 1
warnings.warn("a warning is not an error")
warnings.filterwarnings("ignore")
r_after_warn = "ok"
