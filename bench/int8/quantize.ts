// 8-bit hidden layers for an inference graph, in ONNX's QDQ form: each hidden convolution's input and output pass
// through QuantizeLinear → DequantizeLinear with ranges measured on real inputs (calibration), and its weights are
// stored as int8 per output channel behind a DequantizeLinear. ONNX Runtime fuses each such pattern into an
// integer convolution (QLinearConv, and QLinearLeakyRelu between them); on CPUs with VNNI that runs ~3× as many
// multiply-adds per second as float32. Which convolutions count as hidden is the caller's choice (the denoiser's
// stride-2 edge layers see and make the image itself and stay in float: cheap, and where precision shows).
import type { OnnxGraph, OnnxNode, OnnxTensor } from '../../main/engine/ml/onnx/proto';

/** Smallest and largest value a tensor took over the calibration inputs. */
export interface TensorRange {
  min: number;
  max: number;
}
export type Ranges = Record<string, TensorRange>;

/** The convolutions to quantize: Conv nodes with float weights and bias baked in as initializers. */
export function hiddenConvs(graph: OnnxGraph, isHidden: (node: OnnxNode) => boolean): OnnxNode[] {
  const baked = new Set(graph.initializers.filter((t) => t.type === 'float').map((t) => t.name));
  return graph.nodes.filter((n) => n.op === 'Conv' && n.inputs.length === 3 && n.inputs.slice(1).every((i) => baked.has(i)) && isHidden(n));
}

/** Names of the tensors whose ranges quantizing `convs` needs (their inputs and outputs). */
export function calibrationTensors(convs: OnnxNode[]): string[] {
  return [...new Set(convs.flatMap((n) => [n.inputs[0], n.outputs[0]]))];
}

/** The graph with each of `tensors` also an output (any shape), so one float run reads them all. */
export function withTensorOutputs(graph: OnnxGraph, tensors: string[]): OnnxGraph {
  return { ...graph, outputs: [...graph.outputs, ...tensors.map((name) => ({ name, shape: ['n', 'c', 'h', 'w'] }))] };
}

/** Widens `ranges` by what one calibration run's tensors held. */
export function accumulateRanges(ranges: Ranges, tensors: Record<string, Float32Array>): void {
  for (const [name, values] of Object.entries(tensors)) {
    let { min, max } = ranges[name] ?? { min: 0, max: 0 };
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < min) min = v;
      else if (v > max) max = v;
    }
    ranges[name] = { min, max };
  }
}

/** uint8 scale and zero point covering [min, max] (which always holds 0, so zero is exact). */
function activationQuant(r: TensorRange): { scale: number; zeroPoint: number } {
  const min = Math.min(0, r.min);
  const max = Math.max(0, r.max, min + 1e-6);
  const scale = (max - min) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-min / scale))) };
}

/** Symmetric int8 per output channel of an [out, in, k, k] filter. */
function quantizeFilter(w: Float32Array, outChannels: number): { values: Int8Array; scales: Float32Array } {
  const per = w.length / outChannels;
  const values = new Int8Array(w.length);
  const scales = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    let m = 0;
    for (let i = o * per; i < (o + 1) * per; i++) m = Math.max(m, Math.abs(w[i]));
    const s = m > 0 ? m / 127 : 1;
    scales[o] = s;
    for (let i = o * per; i < (o + 1) * per; i++) values[i] = Math.round(w[i] / s);
  }
  return { values, scales };
}

/**
 * `graph` with `convs` (from `hiddenConvs`) as 8-bit convolutions. Throws when a needed range is missing. The float
 * filters stay in the graph only where another node still uses them.
 */
export function quantizeConvs(graph: OnnxGraph, convs: OnnxNode[], ranges: Ranges): OnnxGraph {
  const inits = new Map(graph.initializers.map((t) => [t.name, t]));
  const added: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [];
  /** Tensor name → the name of its quantize-dequantize round trip, made once and shared by every reader. */
  const roundTrip = new Map<string, string>();
  const rename = new Map<string, string>();
  const quantizeSet = new Set(convs);

  const qdq = (tensor: string): string => {
    const done = roundTrip.get(tensor);
    if (done) return done;
    const range = ranges[tensor];
    if (!range) throw new Error(`No calibration range for ${tensor}`);
    const { scale, zeroPoint } = activationQuant(range);
    const s = `${tensor}.qscale`;
    const z = `${tensor}.qzero`;
    added.push({ name: s, dims: [], type: 'float', values: Float32Array.of(scale) }, { name: z, dims: [], type: 'uint8', values: Uint8Array.of(zeroPoint) });
    nodes.push({ op: 'QuantizeLinear', inputs: [tensor, s, z], outputs: [`${tensor}.q`] });
    nodes.push({ op: 'DequantizeLinear', inputs: [`${tensor}.q`, s, z], outputs: [`${tensor}.dq`] });
    roundTrip.set(tensor, `${tensor}.dq`);
    return `${tensor}.dq`;
  };

  for (const node of graph.nodes) {
    const inputs = node.inputs.map((i) => rename.get(i) ?? i);
    if (!quantizeSet.has(node)) {
      nodes.push({ ...node, inputs });
      continue;
    }
    // The original input name: a round trip already made for it (the previous layer's output) is shared.
    const x = node.inputs[0];
    const [, wName, bias] = inputs;
    const filter = inits.get(wName)!;
    const outChannels = filter.dims[0];
    const q = quantizeFilter(filter.values as Float32Array, outChannels);
    const wq = `${wName}.int8`;
    added.push(
      { name: wq, dims: filter.dims, type: 'int8', values: q.values },
      { name: `${wq}.scale`, dims: [outChannels], type: 'float', values: q.scales },
      { name: `${wq}.zero`, dims: [outChannels], type: 'int8', values: new Int8Array(outChannels) },
    );
    nodes.push({ op: 'DequantizeLinear', inputs: [wq, `${wq}.scale`, `${wq}.zero`], outputs: [`${wq}.dq`], attrs: { axis: 0 } });
    nodes.push({ ...node, inputs: [qdq(x), `${wq}.dq`, bias] });
    rename.set(node.outputs[0], qdq(node.outputs[0]));
  }
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const initializers = [...graph.initializers.filter((t) => used.has(t.name)), ...added];
  return { ...graph, nodes, initializers };
}
