// A generated ONNX model of N nodes (residual conv blocks with small weights) for decode benchmarks.
import { modelProtoType } from '../src/core/onnx/onnxSchema';

/** Blocks of Conv → Relu → Add(skip), 3 nodes each, 8 channels on an 16×16 map; N rounded to blocks. */
export function syntheticOnnx(nodes: number): Uint8Array {
  const c = 8;
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [1, c, 16, 16].map((d) => ({ dimValue: d })) } } } });
  const node: Record<string, unknown>[] = [];
  const initializer: Record<string, unknown>[] = [];
  let x = 'input';
  for (let b = 0; b < Math.max(1, Math.floor(nodes / 3)); b++) {
    const w = `/block${b}/conv/weight`;
    initializer.push({ name: w, dims: [c, c, 1, 1], dataType: 1, rawData: new Uint8Array(new Float32Array(c * c).fill(0.01).buffer) });
    node.push({
      opType: 'Conv',
      name: `/block${b}/conv/Conv`,
      input: [x, w],
      output: [`/block${b}/conv/out`],
      attribute: [{ name: 'kernel_shape', type: 7, ints: [1, 1] }],
    });
    node.push({ opType: 'Relu', name: `/block${b}/Relu`, input: [`/block${b}/conv/out`], output: [`/block${b}/relu`] });
    node.push({ opType: 'Add', name: `/block${b}/Add`, input: [`/block${b}/relu`, x], output: [`/block${b}/out`] });
    x = `/block${b}/out`;
  }
  node.push({ opType: 'Identity', name: '/output', input: [x], output: ['output'] });
  return modelProtoType()
    .encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'synthetic', node, initializer, input: [vi('input')], output: [vi('output')] },
    })
    .finish();
}
