// Loads every op family (each registers its ops on import) and re-exports the registry lookups.
//
// Keys: modules by torch class name (`Conv2d`); functions as `F.<name>` (torch.nn.functional) and
// `torch.<name>`; tensor methods and attributes as `Tensor.<name>` with `self` first (`Tensor.shape`,
// `Tensor.ndim`, `Tensor.T`, `Tensor.dtype` take only self); subscripts as `Tensor.__getitem__` /
// `Tensor.__setitem__`; Python operators as `op.<name of Python's operator module>` (`op.add`,
// `op.and_`, in place `op.iadd`). Ops that mutate `self` carry `inPlace`; several outputs come back as a
// tuple (`fields` names torch.return_types members). Rules throw ShapeError for user errors and
// UnknownArgError when an argument they need is unknown.
import './activation';
import './attention';
import './conv';
import './creation';
import './distance';
import './dropout';
import './einops';
import './einsum';
import './embedding';
import './indexing';
import './join';
import './lazy';
import './linear';
import './loss';
import './mathFns';
import './matmul';
import './norm';
import './operators';
import './pad';
import './pool';
import './recurrent';
import './reduce';
import './resample';
import './sampling';
import './tensor';
import './tensorInfo';
import './tensorMisc';
import './tensorUpdate';
import './unfold';

export { moduleOp, functionOp, allModuleOps, allFunctionOps, opRole, opErrorCode, roleOfKey } from './registry';
