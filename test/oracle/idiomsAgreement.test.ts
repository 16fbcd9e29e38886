// Fusion idioms from popular repositories (HRNet fuse layers, BiFPN weighted fusion, softmax-weighted pyramids, nanoGPT)
// against PyTorch records committed in test/oracle/idioms (regenerate.sh there rebuilds them with Debian's python3-torch).
import { join } from 'node:path';
import { repoRoot } from '../support/pythonWasm';
import { manifestTest } from '../support/oracleCompare';

manifestTest('idiom models agree exactly with PyTorch', join(repoRoot, 'test', 'oracle', 'idioms', 'manifest.json'), () => null, null);
