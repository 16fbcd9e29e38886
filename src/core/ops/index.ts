// Loads every op family (each registers its ops on import) and re-exports the registry lookups.
import './activation';
import './attention';
import './conv';
import './creation';
import './dropout';
import './embedding';
import './indexing';
import './join';
import './linear';
import './mathFns';
import './matmul';
import './norm';
import './operators';
import './pad';
import './pool';
import './reduce';
import './resample';
import './tensor';
import './tensorInfo';

export { moduleOp, functionOp, allModuleOps, allFunctionOps } from './registry';
