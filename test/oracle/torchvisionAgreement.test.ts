// Real torchvision model sources (Debian's python3-torchvision) against committed PyTorch records (test/oracle/torchvision).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/pythonWasm';
import { manifestTest } from '../support/oracleCompare';

const torchvision = process.env.TORCHVISION ?? '/usr/lib/python3/dist-packages/torchvision';
const manifestPath = join(repoRoot, 'test', 'oracle', 'torchvision', 'manifest.json');

manifestTest(
  'torchvision agreement: builders from the real package source are exact',
  manifestPath,
  (f) => f.replace('$TORCHVISION', torchvision),
  existsSync(join(torchvision, 'models', 'resnet.py'))
    ? null
    : `skipped: torchvision sources not found at ${torchvision} (install python3-torchvision or set TORCHVISION)`,
);
