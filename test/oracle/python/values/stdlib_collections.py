# collections, functools, itertools, operator, copy: values library code computes at import and build time.
import collections
import copy
import functools
import itertools
import operator
from collections import OrderedDict, defaultdict, deque, namedtuple, Counter
from functools import partial, reduce

registry = defaultdict(set)
registry["resnet"].add("resnet18")
registry["resnet"].add("resnet50")
registry["vit"].add("vit_tiny")
grouped = defaultdict(list)
for name, n in [("a", 1), ("b", 2), ("a", 3)]:
    grouped[name].append(n)
r_registry = sorted((k, sorted(v)) for k, v in registry.items())
r_grouped = dict(grouped)
r_default_int = defaultdict(int)
r_default_int["x"] += 2
r_default_int = dict(r_default_int)

od = OrderedDict([("conv", 1), ("bn", 2)])
od["act"] = 3
od.move_to_end("conv")
r_od_keys = list(od.keys())
r_od_popitem = od.popitem()
r_od_first = od.popitem(last=False)

Point = namedtuple("Point", ["x", "y"])
BlockArgs = collections.namedtuple("BlockArgs", "kernel_size num_repeat input_filters output_filters expand_ratio id_skip stride se_ratio")
BlockArgs.__new__.__defaults__ = (None,) * len(BlockArgs._fields) if hasattr(BlockArgs, "_fields") else None
p = Point(1, y=2)
q = p._replace(y=5)
r_point = (p.x, p.y, q.x, q.y, tuple(q), len(p))
r_point_dict = dict(p._asdict())
r_point_is_tuple = isinstance(p, tuple), isinstance(p, Point)
a, b = p
r_unpacked = (a, b)
Cfg = namedtuple("Cfg", "depth width", defaults=(2.0,))
r_cfg_default = tuple(Cfg(3))

dq = deque([1, 2, 3], maxlen=5)
dq.append(4)
dq.appendleft(0)
r_deque = list(dq)
r_deque_pop = (dq.pop(), dq.popleft(), list(dq))

c = Counter("abracadabra")
r_counter = c.most_common(2)
r_counter_missing = c["z"]
r_counter_a = c["a"]

r_partial = partial(max, 3)(1, 7)
r_partial_kw = partial(dict, a=1)(b=2)
r_reduce = reduce(operator.mul, [1, 2, 3, 4], 1)
r_reduce_lambda = reduce(lambda x, y: x + y, [[1], [2, 3]], [])

r_chain = list(itertools.chain([1, 2], (3,), [4]))
r_chain_iter = list(itertools.chain.from_iterable([[1, 2], [3]]))
r_product = list(itertools.product([1, 2], "ab"))
r_repeat = list(itertools.repeat(7, 3))
r_accumulate = list(itertools.accumulate([1, 2, 3, 4]))
r_accumulate_mul = list(itertools.accumulate([1, 2, 3, 4], operator.mul))
r_combinations = list(itertools.combinations([1, 2, 3], 2))
r_permutations = list(itertools.permutations([1, 2, 3], 2))
r_islice = list(itertools.islice(range(10), 2, 8, 3))
r_zip_longest = list(itertools.zip_longest([1, 2, 3], "ab", fillvalue=0))
r_starmap = list(itertools.starmap(pow, [(2, 3), (3, 2)]))
r_groupby = [(k, list(g)) for k, g in itertools.groupby([1, 1, 2, 3, 3, 3])]

r_ops = (operator.add(2, 3), operator.sub(2, 3), operator.floordiv(7, 2), operator.neg(4), operator.truth(0))
r_itemgetter = operator.itemgetter(1)([5, 6, 7]), operator.itemgetter(0, 2)("xyz")
r_attrgetter = operator.attrgetter("x")(p)
r_sorted_key = sorted([(1, "b"), (0, "c"), (2, "a")], key=operator.itemgetter(1))

cfg = {"dims": [64, 128], "head": {"drop": 0.1}}
deep = copy.deepcopy(cfg)
deep["dims"].append(256)
shallow = copy.copy(cfg)
shallow["head"]["drop"] = 0.5
r_copies = (cfg["dims"], deep["dims"], cfg["head"]["drop"])
