// Every case of the PyTorch oracle (../shared/oracle/manifest.json): module and line records, params and outputs agree exactly.
import { manifestTest } from '../support/oracleCompare';
import { sharedPath, sharedSkip } from '../support/shared.mjs';

const manifestPath = sharedPath('oracle', 'manifest.json');

manifestTest('oracle agreement: every manifest case is exact', manifestPath, () => null, sharedSkip('oracle', 'manifest.json') || null);
