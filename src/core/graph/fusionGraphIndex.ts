// Lookup tables over a ModelGraph for the fusion analysis: producers, consumers, data-dependence, ancestry, variable names.
import type { AttrValue, GraphNode, GraphValue, LineRecord, ModelGraph } from './modelGraph';
import type { OpClass } from './fusionOps';

export class FusionGraphIndex {
  readonly nodeById = new Map<string, GraphNode>();
  readonly nodeOrder = new Map<string, number>();
  readonly classOf = new Map<string, OpClass>();
  private readonly consumerMap = new Map<string, GraphNode[]>();
  private readonly dataValues = new Set<string>();
  private readonly lineRecords = new Map<string, LineRecord[]>();
  private readonly outputSet: Set<string>;

  constructor(readonly graph: ModelGraph) {
    this.outputSet = new Set(graph.outputs);
    for (const inp of graph.inputs) this.dataValues.add(inp.value);
    for (const v of graph.values.values()) if (v.source === 'input') this.dataValues.add(v.id);
    graph.nodes.forEach((n, i) => {
      this.nodeById.set(n.id, n);
      this.nodeOrder.set(n.id, i);
      const cls = n.role.kind;
      // `x @ W` with a weight tensor (an exported Linear) is a layer, not a merge of two tensors.
      const weightMatmul = cls === 'matmul' && n.inputs.some((v) => !this.dataValues.has(v)) && n.inputs.some((v) => this.dataValues.has(v));
      // An exported Embedding is a Gather from a weight table.
      const tableGather =
        n.role.detail === 'gather' && n.inputs.length === 2 && !this.dataValues.has(n.inputs[0] as string) && this.dataValues.has(n.inputs[1] as string);
      this.classOf.set(n.id, weightMatmul ? 'linear' : tableGather ? 'embedding' : cls);
      // Shape queries (`x.size()`) read a tensor without using its data: they are not consumers.
      const seen = new Set<string>();
      for (const v of n.outputs.length === 0 ? [] : n.inputs) {
        if (seen.has(v)) continue;
        seen.add(v);
        const list = this.consumerMap.get(v) ?? [];
        list.push(n);
        this.consumerMap.set(v, list);
      }
      // Nodes come in execution order, so a node's inputs are classified before it. A tensor's shape
      // (ONNX `Shape`, and what is computed from it) is metadata, not data.
      const isShape = n.role.detail === 'shape';
      if (!isShape && n.inputs.some((v) => this.dataValues.has(v))) for (const o of n.outputs) this.dataValues.add(o);
    });
    for (const rec of graph.lines) {
      const list = this.lineRecords.get(rec.value) ?? [];
      list.push(rec);
      this.lineRecords.set(rec.value, list);
    }
  }

  value(id: string): GraphValue | undefined {
    return this.graph.values.get(id);
  }

  producer(valueId: string): GraphNode | undefined {
    const v = this.graph.values.get(valueId);
    return v && v.source === 'node' && v.producer ? this.nodeById.get(v.producer) : undefined;
  }

  consumers(valueId: string): readonly GraphNode[] {
    return this.consumerMap.get(valueId) ?? [];
  }

  isOutput(valueId: string): boolean {
    return this.outputSet.has(valueId);
  }

  opClass(node: GraphNode): OpClass {
    return this.classOf.get(node.id) ?? 'other';
  }

  /** True when the tensor depends on a model input (parameters, buffers and constants do not). */
  isData(valueId: string): boolean {
    return this.dataValues.has(valueId);
  }

  /** The node's distinct data-dependent tensor inputs, in argument order. */
  dataInputs(node: GraphNode): string[] {
    const out: string[] = [];
    for (const v of node.inputs) if (this.isData(v) && !out.includes(v)) out.push(v);
    return out;
  }

  /** A tensor-valued argument by name (`query`, `input`), when the node bound one. */
  tensorArg(node: GraphNode, ...names: string[]): string | null {
    for (const name of names) {
      const a = node.args[name];
      if (a && typeof a === 'object' && !Array.isArray(a) && 'tensor' in a && typeof a.tensor === 'string') return a.tensor;
    }
    return null;
  }

  /** Argument or constructor attribute by name (args first). */
  attr(node: GraphNode, ...names: string[]): AttrValue | undefined {
    for (const name of names) {
      if (name in node.args) return node.args[name];
      if (name in node.attrs) return node.attrs[name];
    }
    return undefined;
  }

  /** Is `a` an ancestor of (or equal to) `b` in the value graph? */
  isAncestor(a: string, b: string): boolean {
    if (a === b) return true;
    const limit = this.orderOfValue(a);
    const seen = new Set<string>();
    const stack = [b];
    while (stack.length > 0) {
      const cur = stack.pop() as string;
      if (cur === a) return true;
      if (seen.has(cur)) continue;
      seen.add(cur);
      const p = this.producer(cur);
      // Values made before `a` cannot descend from it.
      if (!p || (this.nodeOrder.get(p.id) ?? 0) < limit) continue;
      for (const v of p.inputs) stack.push(v);
    }
    return false;
  }

  private orderOfValue(valueId: string): number {
    const p = this.producer(valueId);
    return p ? (this.nodeOrder.get(p.id) ?? 0) : -1;
  }

  /** True when some statement binds the value to a variable (so `x = a + b` is a merge of its own). */
  isBound(valueId: string): boolean {
    return (this.lineRecords.get(valueId) ?? []).some((r) => r.kind !== 'return');
  }

  /**
   * A readable name for an unnamed tensor: the module call (relative to `scope`) that made it, looking
   * through a few parameter-free steps (`self.body(x) * self.res_scale` → `self.body(…)`), else the op.
   */
  callLabel(valueId: string, scope: string): string | null {
    // Exported graphs name values after their node path: `/layer1/relu/Relu_output_0` → `layer1/relu/Relu`.
    const name = this.graph.values.get(valueId)?.name;
    if (name && name.startsWith('/')) return name.slice(1).replace(/_output_\d+$/, '');
    let cur = valueId;
    let first: string | null = null;
    for (let step = 0; step < 4; step++) {
      const p = this.producer(cur);
      if (!p) break;
      const prefix = scope === '' ? '' : `${scope}.`;
      const inner = p.callPath.find((c) => c.startsWith(prefix) && c.length > prefix.length);
      if (inner) return `self.${inner.slice(prefix.length)}(…)`;
      const short = p.op.slice(p.op.lastIndexOf('.') + 1);
      first ??= `${short}(…)`;
      const data = this.dataInputs(p);
      if (data.length !== 1) break;
      cur = data[0] as string;
    }
    return first;
  }

  /** Variable bound to a value, preferring a binding in `scope` and assignments over returns; `indexed` asks for an element name (`feats[0]`). */
  varName(valueId: string, scope: string | null, indexed = false): string | null {
    const recs = (this.lineRecords.get(valueId) ?? []).filter((r) => !r.var.startsWith('<') && r.var.includes('[') === indexed);
    const rank = (r: LineRecord): number => (scope !== null && r.owner === scope ? 0 : 2) + (r.kind === 'return' ? 1 : 0);
    const best = [...recs].sort((x, y) => rank(x) - rank(y))[0];
    if (best || indexed) return best?.var ?? null;
    const v = this.graph.values.get(valueId);
    // Only Python identifiers are variables (ONNX value names like `/conv1/Relu_output_0` are not).
    if (!v?.name) return null;
    return v.source === 'input' || (v.source === 'node' && /^[A-Za-z_]\w*$/.test(v.name)) ? v.name : null;
  }
}
