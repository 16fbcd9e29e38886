// Loads every op family (each registers its ops on import) and re-exports the registry lookups.
import './activation';
import './attention';
import './conv';
import './creation';
import './distance';
import './dropout';
import './einsum';
import './embedding';
import './indexing';
import './join';
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
import './tensor';
import './tensorInfo';
import './tensorMisc';
import './unfold';

export { moduleOp, functionOp, allModuleOps, allFunctionOps } from './registry';

