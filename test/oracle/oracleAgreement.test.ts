// Every case of the PyTorch oracle (../shared/oracle/manifest.json): module and line records, params and outputs agree exactly.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../unit/pythonWasm';
import { manifestTest } from './oracleCompare';

const manifestPath = join(resolve(repoRoot, '..', 'shared', 'oracle'), 'manifest.json');

manifestTest(
  'oracle agreement: every manifest case is exact',
  manifestPath,
  () => null,
  existsSync(manifestPath) ? null : `skipped: no oracle at ${manifestPath} (the shared PyTorch ground truth is not present in this checkout)`,
);
