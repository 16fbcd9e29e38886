// The project's own PyTorch fixtures (test/fixtures/manifest.json): every case's module and line records, params and outputs agree exactly.
import { join } from 'node:path';
import { repoRoot } from '../support/pythonWasm';
import { manifestTest } from '../support/oracleCompare';

manifestTest('fixture agreement: every committed PyTorch fixture case is exact', join(repoRoot, 'test', 'fixtures', 'manifest.json'), () => null, null);
