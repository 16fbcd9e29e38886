# The Python data model and statements library code relies on: dunder methods of user classes, attributes by computed
# name, type objects, starred expressions, del, slice assignment, backslash continuations.
import functools
import types


class Config:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __getitem__(self, key):
        return getattr(self, key)

    def __contains__(self, key):
        return key in self.__dict__

    def __len__(self):
        return len(self.__dict__)

    def __iter__(self):
        return iter(sorted(self.__dict__))

    def __call__(self, scale):
        return self.width * scale


cfg = Config(width=64, depth=3)
r_config = (cfg["width"], "depth" in cfg, "x" in cfg, len(cfg), list(cfg), cfg(2), bool(cfg))


class AttrDict(dict):
    def __init__(self, *args, **kwargs):
        super(AttrDict, self).__init__(*args, **kwargs)
        self.__dict__ = self


class Lazy:
    def __init__(self):
        object.__setattr__(self, "store", {})

    def __getattr__(self, name):
        if name.startswith("level_"):
            return int(name[6:]) * 10
        raise AttributeError(name)

    def __setattr__(self, name, value):
        self.store[name] = value * 2


lz = Lazy()
lz.a = 4
r_lazy = (lz.level_3, lz.store["a"], hasattr(lz, "level_2"), hasattr(lz, "other"))

holder = Config()
for i in range(3):
    setattr(holder, "layer%d" % i, i * i)
    holder.__setattr__("alt_%d" % i, -i)
r_setattr = [getattr(holder, "layer%d" % i) for i in range(3)] + [holder.__getattribute__("alt_2")]
r_getattr_default = (getattr(holder, "missing", "dflt"), hasattr(holder, "layer1"))
delattr(holder, "layer0")
del holder.layer1
r_delattr = (hasattr(holder, "layer0"), hasattr(holder, "layer1"), hasattr(holder, "layer2"))


class Base:
    kind = "base"


class Child(Base):
    kind = "child"


def fn(x):
    return x


r_types = (type(3) is int, type(Child()) is Child, type(Child()).__name__, Child.__name__, isinstance(Child, type), isinstance(Child(), type))
r_subclass = (issubclass(Child, Base), issubclass(Base, Child), issubclass(Child, (int, Base)), issubclass(bool, int))
r_type_values = [c.kind for c in (Base, Child)]
r_callable_types = (isinstance(fn, types.FunctionType), isinstance(Child, (type, str, types.FunctionType, functools.partial)), isinstance(functools.partial(fn, 1), functools.partial))
factory = {"base": Base, "child": Child}
r_classes_as_values = factory["child"]().kind
Dyn = type("Dyn", (Base,), {"k": 8, "emb_dims": 32})
r_type3 = (Dyn.k, Dyn().emb_dims, Dyn.kind, isinstance(Dyn(), Base))

shape = (2, 3, 4)
r_star_tuple = (*shape[:-1], 8)
first, *rest = shape
*init, last = [1, 2, 3, 4]
r_star_targets = (first, rest, init, last)
r_star_list = [*shape, *[5, 6]]
kw = {"a": 1}
r_star_dict = {**kw, "b": 2, **{"a": 3}}
r_star_call = max(*shape, *[1])
r_star_call_kw = dict(**kw, c=4)
(h, w), c = (5, 6), 7
r_nested = (h, w, c)
r_star_set = sorted({*shape, 2})

view_shape = [0, 0, 0, 0]
view_shape[1:] = [1] * 3
r_slice_assign = view_shape
lst = list(range(8))
lst[::2] = [0, 0, 0, 0]
lst[1:3] = []
r_slice_assign2 = lst
del lst[0]
del lst[-2:]
r_del_items = lst
d = {"a": 1, "b": 2}
del d["a"]
r_del_key = d
tmp = 5
del tmp
tmp = [1, 2]
r_del_name = tmp

a1, b1, \
    c1, d1 = 1, 2, \
    3, 4
r_backslash = (a1, b1, c1, d1)
total = 1 + \
    2
r_backslash_expr = total
