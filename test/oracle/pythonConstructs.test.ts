// Model code using the Python of third-party repositories (computed attribute names, autograd.Function, writes to built
// layers' hyper-parameters, del, weight/spectral norm, numpy constants, checkpointing, jit guards) against PyTorch's
// records in test/oracle/python (regenerate.sh there rebuilds them with Debian's python3-torch).
import { join } from 'node:path';
import { repoRoot } from '../support/pythonWasm';
import { manifestTest } from '../support/oracleCompare';

manifestTest('Python constructs of library code agree exactly with PyTorch', join(repoRoot, 'test', 'oracle', 'python', 'manifest.json'), () => null, null);
