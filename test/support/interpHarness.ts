// Test helper: runs the analysis on Python samples and checks `# @` markers (pyright-style positions inside samples).
//
// A marker at the end of a line states what the line records of that line must be:
//   x = self.conv(x)   # @ x=[2,8,16,16]
//   a, b = feats       # @ a=[1,4,8,8] b=[1,4,4,4]
//   y = f(x)           # @ y=[B,8,H/2,W/2]             (symbolic form, compared with formatShapeSymbolic)
//   for p in ps:       # @ p=[2,3]|[2,5]               (several call sites / iterations: every distinct shape seen)
//   n = x.size(0)      # @ -                           (no tensor records on this line)
import assert from 'node:assert/strict';
import { analyzeSource, type AnalyzeRequest, type FileAnalysis, type ModelAnalysis } from '../../src/core/interp/analyzeFile';
import { parseInputSpec, type InputSpec } from '../../src/core/interp/inputSpec';
import { formatShapeConcrete, formatShapeSymbolic } from '../../src/core/shape/shape';
import type { ModelGraph } from '../../src/core/graph/modelGraph';

export function spec(text: string): InputSpec {
  const s = parseInputSpec(text);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

/** Analyses `src` (as /virtual/model.py) with one explicit model. */
export function runModelSrc(src: string, expr: string, inputs: string[], extra: Partial<AnalyzeRequest> = {}): ModelAnalysis {
  const fa = analyzeSource({
    text: src,
    file: '/virtual/model.py',
    models: [{ expr, inputs: inputs.map(spec), inputKind: extra.models?.[0]?.inputKind ?? 'args' }],
    ...withoutModels(extra),
  });
  return fa.models[0];
}

function withoutModels(extra: Partial<AnalyzeRequest>): Partial<AnalyzeRequest> {
  const { models: _m, ...rest } = extra;
  void _m;
  return rest;
}

export function analyzeSrc(src: string, extra: Partial<AnalyzeRequest> = {}): FileAnalysis {
  return analyzeSource({ text: src, file: '/virtual/model.py', ...extra });
}

export function graphOf(m: ModelAnalysis): ModelGraph {
  assert.ok(m.graph, `no graph for ${m.expr}: ${m.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  checkGraph(m.graph);
  return m.graph;
}

/** The graph is closed: every value a node or the model uses is declared, every node's outputs name it as producer. */
export function checkGraph(g: ModelGraph): void {
  for (const n of g.nodes) {
    for (const id of [...n.inputs, ...n.outputs]) assert.ok(g.values.has(id), `${n.op} (${n.id}) uses undeclared value ${id}`);
  }
  for (const id of [...g.outputs, ...g.inputs.map((i) => i.value)]) assert.ok(g.values.has(id), `model value ${id} undeclared`);
  const producers = new Map(g.nodes.flatMap((n) => n.outputs.filter((o) => !n.inputs.includes(o)).map((o) => [o, n.id] as const)));
  for (const [id, v] of g.values) if (v.source === 'node' && v.producer) assert.equal(producers.get(id) ?? v.producer, v.producer, `producer of ${id}`);
}

/** Checks every `# @` marker of `src` against the graph's line records. */
export function checkMarkers(src: string, g: ModelGraph): number {
  const lines = src.split('\n');
  let checked = 0;
  lines.forEach((text, i) => {
    const m = /#\s*@\s*(.*)$/.exec(text);
    if (!m) return;
    const recs = g.lines.filter((r) => r.line === i);
    const body = m[1].trim();
    if (body === '-') {
      assert.deepEqual(
        recs.map((r) => r.var),
        [],
        `line ${i + 1}: expected no records`,
      );
      checked++;
      return;
    }
    for (const part of body.split(/\s+/)) {
      const eq = part.indexOf('=');
      const name = part.slice(0, eq);
      const alts = part
        .slice(eq + 1)
        .split('|')
        .map((s) => s.replace(/\s+/g, ''));
      const seen = new Set(
        recs
          .filter((r) => r.var === name)
          .map((r) => (alts[0].match(/[A-Za-z]/) ? formatShapeSymbolic(r.shape) : formatShapeConcrete(r.shape)).replace(/\s+/g, '')),
      );
      assert.deepEqual([...seen].sort(), [...alts].sort(), `line ${i + 1} (${text.trim()}): records of ${name}`);
      checked++;
    }
  });
  assert.ok(checked > 0, 'sample has no markers');
  return checked;
}
