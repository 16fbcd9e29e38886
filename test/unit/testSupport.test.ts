// The shared test helpers themselves: position markers in Python samples, and finding ../shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMarkers, marker } from '../support/markers';
import { sharedPath, sharedRoot, sharedSkip } from '../support/shared.mjs';

test('markers: a caret comment marks a column of the nearest line above that is not a marker', () => {
  const src = ['x = conv(inp)', '#   ^ call', '#        ^ arg', 'y = x', '    # ^ off-word'].join('\n');
  const m = findMarkers(src);
  assert.deepEqual({ ...marker(m, 'call') }, { name: 'call', line: 0, col: 4, word: 'conv', lineText: 'x = conv(inp)' });
  assert.equal(marker(m, 'arg').word, 'inp');
  assert.equal(marker(m, 'arg').line, 0);
  assert.equal(marker(m, 'off-word').line, 3);
  assert.equal(marker(m, 'off-word').word, '');
  assert.throws(() => marker(m, 'nope'), /no marker nope \(known: call, arg, off-word\)/);
  assert.throws(() => findMarkers('a\n# ^ x\n# ^ x'), /defined twice/);
  assert.throws(() => findMarkers('# ^ first'), /no line above/);
});

test('../shared: one root (FUSION_LENS_SHARED or beside the repository); a missing path gives a skip reason', () => {
  assert.equal(sharedPath('oracle', 'manifest.json'), `${sharedRoot}/oracle/manifest.json`);
  const reason = sharedSkip('no-such-folder-in-shared');
  assert.equal(typeof reason, 'string');
  assert.match(reason as string, /no-such-folder-in-shared is not present.*FUSION_LENS_SHARED/);
});
