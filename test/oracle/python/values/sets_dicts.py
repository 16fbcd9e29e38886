# Sets and dicts find members by hash: equal values hash alike (1 == 1.0 == True), tuples by their items, objects and
# classes by identity; large string registries stay fast.
from collections import defaultdict


class Reg:
    pass


a, b = Reg(), Reg()
names = set("model_%d" % i for i in range(3000))
more = set("model_%d" % i for i in range(2000, 5000))
r_union_len = len(names | more)
r_inter_len = len(names & more)
r_diff_len = len(names - more)
r_symdiff_len = len(names ^ more)
r_member = ("model_2999" in names, "model_3000" in names, "model_4999" in more)
r_subset = (set(["model_1", "model_2"]).issubset(names), names.issuperset({"model_1", "x"}), names.isdisjoint({"x", "y"}))

nums = {1, 2, 3}
nums.add(1.0)
nums.add(True)
r_nums = (len(nums), 2.0 in nums, False in nums, 0 in {False})
r_tuple_set = (len({(1, "a"), (1, "a"), (1.0, "a"), (2, "a")}), (1, "a") in {(1, "a")}, ((1, 2), 3) in {((1, 2), 3)})
r_none_set = (None in {None, 1}, len({None, None, (), ()}))

objs = {a, b, a}
r_objs = (len(objs), a in objs, Reg() in objs)
classes = {Reg, int, Reg, str}
r_classes = (len(classes), Reg in classes, float in classes)

d = {1: "int", True: "bool", 1.0: "float", (1, 2): "tuple", None: "none"}
r_dict = (len(d), d[1], d[(1, 2)], d[None])
objd = {a: "a", b: "b"}
r_objd = (len(objd), objd[a], objd[b], a in objd, Reg() in objd)
byclass = {Reg: "reg", int: "int", str: "str"}
r_byclass = (len(byclass), byclass[Reg], byclass[int], float in byclass)
fn_keys = {len: 1, max: 2, min: 3}
r_fn_keys = (len(fn_keys), fn_keys[max])

s = {3, 1, 2}
s.discard(2)
s.discard(10)
s.remove(1)
s.update([5, 6], {7})
s2 = s.copy()
s2.clear()
r_mutate = (sorted(s), len(s2))
groups = defaultdict(set)
for i in range(100):
    groups[i % 3].add("m%d" % (i % 7))
r_groups = sorted((k, len(v)) for k, v in groups.items())
fs = frozenset([1, 2]) | {3}
r_frozen = (type(fs).__name__, len(fs), type({3} | frozenset([1])).__name__)
r_multi = (len(set().union({1}, {2}, [3])), len({1, 2, 3}.intersection({1, 2}, {2})), len({1, 2, 3}.difference({1}, {2})))
