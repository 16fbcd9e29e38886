// The @vscode/test-electron suite: runs inside VS Code's extension host and checks the providers through the API.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

async function openExample(name) {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, name));
  await vscode.window.showTextDocument(doc);
  const ext = vscode.extensions.getExtension('fusion-lens.fusion-lens');
  const api = await ext.activate();
  const analysis = await api.analysisOf(doc);
  return { doc, analysis };
}

function position(doc, lineText, word) {
  const line = doc
    .getText()
    .split('\n')
    .findIndex((l) => l.includes(lineText));
  assert.ok(line >= 0, `line with ${lineText}`);
  return new vscode.Position(line, doc.lineAt(line).text.indexOf(word) + 1);
}

const hoverText = (hovers) => hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n');

test('activates on a Python file and finds both models of the example', async () => {
  const { analysis } = await openExample('fusion_cnn.py');
  assert.deepEqual(
    analysis.models.map((m) => m.className),
    ['BaselineModel', 'FusionModel'],
  );
  for (const m of analysis.models) assert.ok(m.graph, `${m.className} analysed: ${m.error}`);
});

test('hover on a variable shows its shape', async () => {
  const { doc } = await openExample('fusion_cnn.py');
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position(doc, 'feat2_down = F.interpolate', 'feat2_down'));
  assert.match(hoverText(hovers), /\[4, 128, 64, 64\]/);
});

test('hover on the class shows the concat fusion', async () => {
  const { doc } = await openExample('fusion_cnn.py');
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position(doc, 'class FusionModel', 'FusionModel'));
  const text = hoverText(hovers);
  assert.match(text, /concat/);
  assert.match(text, /params/);
});

test('inlay hint on the cat line carries the fused shape', async () => {
  const { doc } = await openExample('fusion_cnn.py');
  const range = new vscode.Range(0, 0, doc.lineCount - 1, 0);
  const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', doc.uri, range);
  const catLine = position(doc, 'fused = torch.cat', 'fused').line;
  const hint = hints.find((h) => h.position.line === catLine);
  assert.ok(hint, 'a hint on the torch.cat line');
  const label = typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
  assert.match(label, /448/);
});

test('CodeLens offers Run, Graph and the input spec for every model', async () => {
  const { doc } = await openExample('fusion_cnn.py');
  const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
  const titles = lenses.map((l) => l.command && l.command.title);
  assert.equal(titles.filter((t) => /Run Fusion Model/.test(t)).length, 2);
  assert.ok(titles.some((t) => /4x3x256x256/.test(t)));
});

test('every contributed command is registered', async () => {
  const all = await vscode.commands.getCommands(true);
  for (const c of ['fusionLens.runFusionModel', 'fusionLens.setInputShape', 'fusionLens.exportOnnx', 'fusionLens.showGraph']) assert.ok(all.includes(c), c);
});

/** Entry point called by @vscode/test-electron. */
exports.run = async function run() {
  let failed = 0;
  for (const t of tests) {
    try {
      await t.fn();
      console.log(`  ✓ ${t.name}`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${t.name}\n    ${(e && e.stack) || e}`);
    }
  }
  console.log(`${tests.length - failed} passed, ${failed} failed (${path.basename(__filename)})`);
  if (failed > 0) throw new Error(`${failed} electron test(s) failed`);
};
