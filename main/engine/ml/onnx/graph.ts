// A small tensor-graph builder that records ONNX nodes and, for every op on a path from a trainable input, the
// rule for its vector–Jacobian product. `gradients(loss, wrt)` walks that tape backwards and appends the
// backward pass as ordinary ONNX nodes, so one graph computes loss, gradients (and the optimizer step) in one
// ONNX Runtime call. Shapes are static except the batch dimension of inference graphs (-1, never differentiated).
import { type AttrValue, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './proto';

export interface Value {
  readonly name: string;
  readonly shape: readonly number[];
  /** Whether a gradient can flow to a trainable input through this value. */
  readonly live: boolean;
}

type Vjp = (g: Value) => (Value | null)[];
interface TapeEntry {
  out: Value;
  inputs: Value[];
  vjp: Vjp;
}

export interface ConvOptions {
  stride: number;
  pad: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`Shapes ${a.join('×')} and ${b.join('×')} do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly tape: TapeEntry[] = [];
  private readonly scalars = new Map<number, Value>();
  private counter = 0;

  constructor(private readonly name: string) {}

  /** A graph input; `trainable` ones are what `gradients` differentiates with respect to. */
  input(name: string, shape: number[], trainable = false): Value {
    this.inputs.push({ name, shape });
    return { name, shape, live: trainable };
  }

  output(v: Value, name: string): void {
    const named = this.node('Identity', [v], name, v.shape);
    this.outputs.push({ name: named.name, shape: [...v.shape] });
  }

  constant(values: Float32Array, shape: number[]): Value {
    const name = this.fresh('const');
    this.initializers.push({ name, dims: shape, type: 'float', values });
    return { name, shape, live: false };
  }

  scalar(c: number): Value {
    let v = this.scalars.get(c);
    if (!v) {
      v = this.constant(Float32Array.of(c), []);
      this.scalars.set(c, v);
    }
    return v;
  }

  private ints(values: number[]): Value {
    const name = this.fresh('ints');
    this.initializers.push({ name, dims: [values.length], type: 'int64', values: BigInt64Array.from(values.map(BigInt)) });
    return { name, shape: [values.length], live: false };
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Appends a node; records its VJP when any input is live. */
  private node(op: string, inputs: Value[], name: string | null, shape: readonly number[], attrs?: Record<string, AttrValue>, vjp?: Vjp): Value {
    const out: Value = { name: name ?? this.fresh(op.toLowerCase()), shape, live: vjp != null && inputs.some((i) => i.live) };
    this.nodes.push({ op, inputs: inputs.map((i) => i.name), outputs: [out.name], attrs });
    if (out.live) this.tape.push({ out, inputs, vjp: vjp! });
    return out;
  }

  // ---- element-wise ----

  add(a: Value, b: Value): Value {
    return this.node('Add', [a, b], null, broadcastShape(a.shape, b.shape), undefined, (g) => [this.unbroadcast(g, a.shape), this.unbroadcast(g, b.shape)]);
  }

  sub(a: Value, b: Value): Value {
    return this.node('Sub', [a, b], null, broadcastShape(a.shape, b.shape), undefined, (g) => [
      this.unbroadcast(g, a.shape),
      b.live ? this.unbroadcast(this.neg(g), b.shape) : null,
    ]);
  }

  mul(a: Value, b: Value): Value {
    return this.node('Mul', [a, b], null, broadcastShape(a.shape, b.shape), undefined, (g) => [
      a.live ? this.unbroadcast(this.mul(g, b), a.shape) : null,
      b.live ? this.unbroadcast(this.mul(g, a), b.shape) : null,
    ]);
  }

  div(a: Value, b: Value): Value {
    if (b.live) throw new Error('div: differentiating through the divisor is not supported');
    return this.node('Div', [a, b], null, broadcastShape(a.shape, b.shape), undefined, (g) => [this.unbroadcast(this.div(g, b), a.shape), null]);
  }

  neg(x: Value): Value {
    return this.node('Neg', [x], null, x.shape, undefined, (g) => [this.neg(g)]);
  }

  exp(x: Value): Value {
    const y: Value = this.node('Exp', [x], null, x.shape, undefined, (g) => [this.mul(g, y)]);
    return y;
  }

  log(x: Value): Value {
    return this.node('Log', [x], null, x.shape, undefined, (g) => [this.div(g, this.detach(x))]);
  }

  sqrt(x: Value): Value {
    return this.node('Sqrt', [x], null, x.shape);
  }

  tanh(x: Value): Value {
    const y: Value = this.node('Tanh', [x], null, x.shape, undefined, (g) => [this.mul(g, this.sub(this.scalar(1), this.mul(y, y)))]);
    return y;
  }

  sigmoid(x: Value): Value {
    const y: Value = this.node('Sigmoid', [x], null, x.shape, undefined, (g) => [this.mul(g, this.mul(y, this.sub(this.scalar(1), y)))]);
    return y;
  }

  /**
   * log(1 + eˣ) as max(x, 0) + log(1 + e^−|x|): six vectorised element-wise kernels run ~4× faster than ONNX
   * Runtime's Softplus kernel (measured: 9.7% of a 64×64 training step before, on three image-sized calls).
   */
  softplus(x: Value): Value {
    const d = this.detach(x);
    const tail = this.node('Log', [this.node('Add', [this.node('Exp', [this.node('Neg', [this.node('Abs', [d], null, x.shape)], null, x.shape)], null, x.shape), this.scalar(1)], null, x.shape)], null, x.shape);
    const out = this.node('Add', [this.node('Relu', [d], null, x.shape), tail], null, x.shape);
    return this.composite([x], out, (g) => [this.mul(g, this.sigmoid(d))]);
  }

  /** `out`, computed by several nodes from detached inputs, joins the tape as one op with its own VJP. */
  composite(inputs: Value[], out: Value, vjp: Vjp): Value {
    if (!inputs.some((i) => i.live)) return out;
    const live: Value = { ...out, live: true };
    this.tape.push({ out: live, inputs, vjp });
    return live;
  }

  leakyRelu(x: Value, alpha: number): Value {
    return this.node('LeakyRelu', [x], null, x.shape, { alpha: { float: alpha } }, (g) => [
      this.where(this.greater(this.detach(x), 0), g, this.mul(g, this.scalar(alpha))),
    ]);
  }

  /** max(x, c) for a constant c; the gradient flows where x ≥ c. */
  maxScalar(x: Value, c: number): Value {
    return this.node('Max', [x, this.scalar(c)], null, x.shape, undefined, (g) => [this.where(this.less(this.detach(x), c), this.zerosLike(g), g), null]);
  }

  greater(x: Value, c: number): Value {
    return this.node('Greater', [x, this.scalar(c)], null, x.shape);
  }

  less(x: Value, c: number): Value {
    return this.node('Less', [x, this.scalar(c)], null, x.shape);
  }

  /** cond ? a : b (cond is never differentiated). */
  where(cond: Value, a: Value, b: Value): Value {
    const shape = broadcastShape(cond.shape, broadcastShape(a.shape, b.shape));
    return this.node('Where', [cond, a, b], null, shape, undefined, (g) => {
      const zero = this.zerosLike(g);
      return [null, a.live ? this.unbroadcast(this.where(cond, g, zero), a.shape) : null, b.live ? this.unbroadcast(this.where(cond, zero, g), b.shape) : null];
    });
  }

  // ---- shape ----

  reduceSum(x: Value, axes: number[], keepdims = false): Value {
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const shape = keepdims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return this.node('ReduceSum', [x, this.ints(axes)], null, shape, { keepdims: keepdims ? 1 : 0 }, (g) => [
      this.expand(keepdims ? g : this.reshape(g, kept), x.shape),
      null,
    ]);
  }

  reduceMean(x: Value): Value {
    const total = this.reduceSum(x, x.shape.map((_, i) => i));
    return this.mul(total, this.scalar(1 / size(x.shape)));
  }

  expand(x: Value, shape: readonly number[]): Value {
    return this.node('Expand', [x, this.ints([...shape])], null, shape, undefined, (g) => [this.unbroadcast(g, x.shape), null]);
  }

  /** Reshape; a 0 in `shape` keeps that dimension (how a dynamic batch passes through). */
  reshape(x: Value, shape: number[]): Value {
    const out = shape.map((d, i) => (d === 0 ? x.shape[i] : d));
    return this.node('Reshape', [x, this.ints(shape)], null, out, undefined, (g) => [this.reshape(g, [...x.shape]), null]);
  }

  transpose(x: Value, perm: number[]): Value {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return this.node('Transpose', [x], null, perm.map((p) => x.shape[p]), { perm }, (g) => [this.transpose(g, inverse)]);
  }

  /** x[..., start:end, ...] along one axis. */
  slice(x: Value, axis: number, start: number, end: number): Value {
    const shape = x.shape.map((d, i) => (i === axis ? end - start : d));
    return this.node('Slice', [x, this.ints([start]), this.ints([end]), this.ints([axis])], null, shape, undefined, (g) => {
      const pads = new Array<number>(2 * x.shape.length).fill(0);
      pads[axis] = start;
      pads[x.shape.length + axis] = x.shape[axis] - end;
      return [this.node('Pad', [g, this.ints(pads)], null, x.shape), null, null, null];
    });
  }

  zerosLike(x: Value): Value {
    return this.expand(this.scalar(0), x.shape);
  }

  /** The same value, cut from the tape (used inside backward rules). */
  detach(x: Value): Value {
    return x.live ? { ...x, live: false } : x;
  }

  private unbroadcast(g: Value, shape: readonly number[]): Value {
    if (g.shape.join() === shape.join()) return g;
    const offset = g.shape.length - shape.length;
    const axes = g.shape.map((_, i) => i).filter((i) => i < offset || (shape[i - offset] === 1 && g.shape[i] !== 1));
    const summed = axes.length ? this.reduceSum(g, axes, true) : g;
    return this.reshape(summed, [...shape]);
  }

  // ---- layers (NCHW; weights in ONNX layouts) ----

  matmul(a: Value, b: Value): Value {
    const [n, k] = a.shape;
    const [k2, m] = b.shape;
    if (k !== k2) throw new Error(`matmul: ${a.shape.join('×')} by ${b.shape.join('×')}`);
    return this.node('MatMul', [a, b], null, [n, m], undefined, (g) => [
      a.live ? this.node('Gemm', [g, this.detach(b)], null, a.shape, { transB: 1 }) : null,
      b.live ? this.node('Gemm', [this.detach(a), g], null, b.shape, { transA: 1 }) : null,
    ]);
  }

  /** Convolution with square kernel w [out, in, k, k], bias b [out], symmetric padding. */
  conv(x: Value, w: Value, b: Value, o: ConvOptions): Value {
    const [n, , h, wd] = x.shape;
    const [outC, , k] = w.shape;
    const oh = Math.floor((h + 2 * o.pad - k) / o.stride) + 1;
    const ow = Math.floor((wd + 2 * o.pad - k) / o.stride) + 1;
    const attrs = { kernel_shape: [k, k], strides: [o.stride, o.stride], pads: [o.pad, o.pad, o.pad, o.pad] };
    return this.node('Conv', [x, w, b], null, [n, outC, oh, ow], attrs, (g) => [
      x.live ? this.convInputGrad(g, w, x.shape, o) : null,
      w.live ? this.convWeightGrad(this.detach(x), g, k, o) : null,
      b.live ? this.reduceSum(g, [0, 2, 3]) : null,
    ]);
  }

  /** Transposed convolution, w [in, out, k, k]: the adjoint of `conv` with the same weights. */
  convTranspose(x: Value, w: Value, b: Value, o: ConvOptions): Value {
    const [n, , h, wd] = x.shape;
    const [, outC, k] = w.shape;
    const shape = [n, outC, (h - 1) * o.stride + k - 2 * o.pad, (wd - 1) * o.stride + k - 2 * o.pad];
    const attrs = { kernel_shape: [k, k], strides: [o.stride, o.stride], pads: [o.pad, o.pad, o.pad, o.pad] };
    return this.node('ConvTranspose', [x, w, b], null, shape, attrs, (g) => [
      x.live ? this.node('Conv', [g, this.detach(w)], null, x.shape, attrs) : null,
      // The adjoint's weight gradient is the convolution's, with the roles of input and output gradient swapped.
      w.live ? this.convWeightGrad(g, this.detach(x), k, o) : null,
      b.live ? this.reduceSum(g, [0, 2, 3]) : null,
    ]);
  }

  private convInputGrad(g: Value, w: Value, xShape: readonly number[], o: ConvOptions): Value {
    const k = w.shape[2];
    const base = [(g.shape[2] - 1) * o.stride + k - 2 * o.pad, (g.shape[3] - 1) * o.stride + k - 2 * o.pad];
    const attrs = {
      kernel_shape: [k, k],
      strides: [o.stride, o.stride],
      pads: [o.pad, o.pad, o.pad, o.pad],
      output_padding: [xShape[2] - base[0], xShape[3] - base[1]],
    };
    return this.node('ConvTranspose', [g, this.detach(w)], null, xShape, attrs);
  }

  /**
   * dW[o, c, i, j] = Σ_{n,y,x} g[n, o, y, x] · x[n, c, y·s + i − p, x·s + j − p]: a convolution of the input (batch
   * and channels swapped) by the output gradient used as a dilated kernel, cropped to k × k.
   */
  private convWeightGrad(x: Value, g: Value, k: number, o: ConvOptions): Value {
    const xs = this.node('Transpose', [x], null, [x.shape[1], x.shape[0], x.shape[2], x.shape[3]], { perm: [1, 0, 2, 3] });
    const gs = this.node('Transpose', [g], null, [g.shape[1], g.shape[0], g.shape[2], g.shape[3]], { perm: [1, 0, 2, 3] });
    const kh = g.shape[2];
    const kw = g.shape[3];
    const full = [x.shape[2] + 2 * o.pad - o.stride * (kh - 1), x.shape[3] + 2 * o.pad - o.stride * (kw - 1)];
    let dw = this.node('Conv', [xs, gs], null, [x.shape[1], g.shape[1], full[0], full[1]], {
      kernel_shape: [kh, kw],
      dilations: [o.stride, o.stride],
      pads: [o.pad, o.pad, o.pad, o.pad],
    });
    if (full[0] !== k || full[1] !== k) {
      dw = this.node('Slice', [dw, this.ints([0, 0]), this.ints([k, k]), this.ints([2, 3])], null, [x.shape[1], g.shape[1], k, k]);
    }
    return this.node('Transpose', [dw], null, [g.shape[1], x.shape[1], k, k], { perm: [1, 0, 2, 3] });
  }

  /** Nearest-neighbour upsampling by 2 of NCHW x: each pixel repeated 2×2 (gradient: the sum over the copies). */
  upsample2x(x: Value): Value {
    const [n, c, h, w] = x.shape;
    // Resize (nearest, floor of the asymmetric source coordinate) is one kernel; a rank-6 Expand was 10× slower.
    const noRoi: Value = { name: '', shape: [], live: false };
    const scales = this.constant(Float32Array.of(1, 1, 2, 2), [4]);
    const attrs = { mode: { string: 'nearest' }, coordinate_transformation_mode: { string: 'asymmetric' }, nearest_mode: { string: 'floor' } };
    const out = this.node('Resize', [this.detach(x), noRoi, scales], null, [n, c, 2 * h, 2 * w], attrs);
    return this.composite([x], out, (g) => [this.reshape(this.reduceSum(this.reshape(g, [n, c, h, 2, w, 2]), [3, 5]), [n, c, h, w])]);
  }

  /**
   * (x − mean) / sqrt(var + epsilon) over `groups` groups of channels of NCHW x, per example: a group norm without
   * its per-channel scale and shift. One op on the tape with the closed-form gradient
   * dx = r · (g − mean(g) − x̂ · mean(g · x̂)), means over the group.
   */
  normalizeGroups(x: Value, groups: number, epsilon: number): Value {
    const [n, c, h, w] = x.shape;
    const m = (c / groups) * h * w;
    const grouped = [n, groups, m];
    const mean = (v: Value) => this.mul(this.reduceSum(v, [2], true), this.scalar(1 / m));
    const xg = this.reshape(this.detach(x), [0, groups, m]);
    const centered = this.sub(xg, mean(xg));
    const r = this.div(this.scalar(1), this.sqrt(this.add(mean(this.mul(centered, centered)), this.scalar(epsilon))));
    const xhat = this.mul(centered, r);
    const out = this.reshape(xhat, [0, c, h, w]);
    return this.composite([x], { ...out, shape: x.shape }, (g) => {
      const gg = this.reshape(g, grouped);
      const dx = this.mul(r, this.sub(this.sub(gg, mean(gg)), this.mul(xhat, mean(this.mul(gg, xhat)))));
      return [this.reshape(dx, [n, c, h, w])];
    });
  }

  // ---- reverse mode ----

  /** Gradients of scalar `loss` with respect to each of `wrt` (trainable inputs), appended to the graph. */
  gradients(loss: Value, wrt: Value[]): Value[] {
    const grads = new Map<string, Value>([[loss.name, this.scalar(1)]]);
    const accumulate = (v: Value, g: Value) => {
      const prior = grads.get(v.name);
      grads.set(v.name, prior ? this.add(prior, g) : g);
    };
    // New nodes added while walking are backward nodes on non-live values: they never join the tape.
    const entries = this.tape.slice();
    for (let i = entries.length - 1; i >= 0; i--) {
      const { out, inputs, vjp } = entries[i];
      const g = grads.get(out.name);
      if (!g) continue;
      const parts = vjp(this.detach(g));
      inputs.forEach((input, j) => {
        const part = parts[j];
        if (part && input.live) accumulate(input, part);
      });
    }
    return wrt.map((w) => grads.get(w.name) ?? this.zerosLike(w));
  }

  build(): OnnxGraph {
    return { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }
}
