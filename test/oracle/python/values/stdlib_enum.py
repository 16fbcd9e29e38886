# enum as library code uses it: str/int mixins, lookup by value and by name, iteration, auto(), flags, members as keys.
import enum
from enum import Enum, Flag, IntEnum, IntFlag, auto, unique


class Fmt(str, Enum):
    NCHW = 'NCHW'
    NHWC = 'NHWC'
    NLC = 'NLC'


class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1  # an alias of RED

    def describe(self):
        return '%s=%d' % (self.name, self.value)

    @classmethod
    def default(cls):
        return cls.GREEN


@unique
class Level(IntEnum):
    LOW = auto()
    MID = auto()
    HIGH = 10
    TOP = auto()


class Perm(Flag):
    R = auto()
    W = auto()
    X = auto()


class Bits(IntFlag):
    A = 1
    B = 2


class Mode(enum.Enum):
    TRAIN = 'train'
    EVAL = 'eval'

    @property
    def is_train(self):
        return self is Mode.TRAIN


class Named(Enum):
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()

    ALPHA = auto()
    BETA = auto()


def to_fmt(fmt):
    fmt = Fmt(fmt)
    if fmt is Fmt.NLC:
        return (1,)
    elif fmt == Fmt.NHWC:
        return (1, 2)
    return (2, 3)


r_values = (Fmt.NCHW.value, Fmt.NHWC.name, Color.RED.value, Color.BLUE.name, Level.MID.value, Level.TOP.value)
r_lookup = (Fmt('NHWC').name, Color(2).name, Color['BLUE'].value, Level(2).name, Color(Color.RED).name)
r_alias = (Color.CRIMSON is Color.RED, Color.CRIMSON.name, len(Color), [c.name for c in Color])
r_str_mixin = (Fmt.NHWC == 'NHWC', Fmt.NCHW != 'NCHW', 'NLC' == Fmt.NLC, Fmt.NHWC != Fmt.NCHW, to_fmt('NLC'), to_fmt(Fmt.NHWC), to_fmt('NCHW'))
r_int_mixin = (Level.MID == 2, Level.HIGH > Level.MID, Level.LOW + 1, Level.HIGH * 2, Level.TOP < 12, int(Level.HIGH), [int(v) for v in Level])
r_identity = (Color.RED is Color(1), Color.RED == Color.RED, Color.RED != Color.GREEN, Color.RED == 1, Mode('eval') is Mode.EVAL)
r_methods = (Color.GREEN.describe(), Color.default().name, Mode.TRAIN.is_train, Mode.EVAL.is_train)
r_keys = {Color.RED: 'r', Color.GREEN: 'g'}[Color.GREEN]
r_keys_mixin = {Fmt.NHWC: 3}['NHWC']
r_key_list = [k.name for k in {Mode.TRAIN: 1, Mode.EVAL: 2}]
r_members = (list(Color.__members__), [m.value for m in Level], [m.name for m in Perm], Named.ALPHA.value, Named.BETA.value)
r_flags = (Perm.R.value, Perm.W.value, Perm.X.value, (Perm.R | Perm.W).value, Perm.R in (Perm.R | Perm.X), Perm.W in (Perm.R | Perm.X))
r_flag_bool = (bool(Perm.R & Perm.W), bool(Perm.R), (Perm.R | Perm.W) & Perm.W == Perm.W, Bits.A | Bits.B, int(Bits.B))
r_isinstance = (isinstance(Color.RED, Color), isinstance(Color.RED, Enum), isinstance(Fmt.NCHW, str), isinstance(Level.LOW, int), isinstance(3, Color))
r_str = (str(Color.RED), repr(Level.LOW), str(Level.LOW), '%s' % Mode.TRAIN, Fmt.NLC.value.lower())
r_in_list = (Color.RED in [Color.GREEN, Color.RED], Color.BLUE in (Color.RED,), 'NHWC' in [Fmt.NHWC], Level.MID in {Level.MID: 0})
r_type = (type(Color.RED) is Color, type(Color.RED).__name__, Color.RED.__class__.__name__)
r_sorted = [m.name for m in sorted([Level.HIGH, Level.LOW, Level.MID])]

try:
    Color(7)
    r_bad_value = 'no error'
except ValueError as e:
    r_bad_value = 'ValueError'

try:
    Color['PURPLE']
    r_bad_name = 'no error'
except KeyError:
    r_bad_name = 'KeyError'
