# dataclasses as Python defines them: a default_factory runs for every instance (never shared), field(default=...) is the
# class attribute, a factory-only field has none, init=False fields are set from their defaults, base fields come first.
import dataclasses
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from typing import Deque, Dict


@dataclass
class DefaultCfg:
    tags: Deque[str] = field(default_factory=deque)
    cfgs: Dict[str, int] = field(default_factory=dict)
    is_pretrained: bool = False


out = defaultdict(DefaultCfg)
for key in ["a.x", "a.y", "b.x", "c.z", "c.w", "c.v"]:
    model, tag = key.split(".")
    out[model].tags.append(tag)
    out[model].cfgs[tag] = len(tag)
r_not_shared = sorted((k, list(v.tags), len(v.cfgs)) for k, v in out.items())
r_fresh = (DefaultCfg().tags is DefaultCfg().tags, len(DefaultCfg().cfgs))


@dataclass
class Base:
    x: int
    y: int = field(default=5)
    z: list = field(default_factory=list)


@dataclass
class Child(Base):
    w: int = 0
    y: int = 7
    n: int = field(default=3, init=False)
    m: list = field(default_factory=lambda: [1, 2], init=False)


c = Child(1)
c2 = Child(1, 2, [3], 4)
c3 = replace(c2, w=9)
r_child = (c.x, c.y, c.z, c.w, c.n, c.m, c2.y, c2.z, c2.w, c3.w, c3.z, c3.n, c3.m)
r_fields = [f.name for f in dataclasses.fields(Child)]
r_field_init = [f.init for f in dataclasses.fields(Child)]
r_field_defaults = [f.default for f in dataclasses.fields(Base) if f.default is not dataclasses.MISSING]
r_factory_missing = [f.default_factory is dataclasses.MISSING for f in dataclasses.fields(Base)]
r_class_attrs = (Base.y, Child.y, Child.n, hasattr(Base, "z"), hasattr(Child, "m"))
r_dc_fields = sorted(c.__dataclass_fields__.keys())
r_is_dc = (dataclasses.is_dataclass(Child), dataclasses.is_dataclass(c), dataclasses.is_dataclass(dict))
r_asdict = dataclasses.asdict(Child(0))
