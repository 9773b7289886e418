// The two heavy products of each EM iteration of the mixture fit, for a range of components at once:
// Mahalanobis distances ‖L_c⁻¹(x − μ_c)‖² of every point (E-step) and the responsibility-weighted scatter
// Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ (M-step). Two implementations with the same results: ONNX Runtime (batched
// matmuls over a chunk of components, ~15× faster here, which is what makes 100 components affordable) when
// the engine's inference runs there, else TF.js one component at a time.
import * as tf from '@tensorflow/tfjs-core';
import { encodeModel, type OnnxGraph } from '../onnx/proto';
import { SyncSession } from '../onnx/sync-session';
import { onnxInferenceEnabled } from '../onnx/vae-inference';

export interface EmKernels {
  /** Components handled per call. */
  readonly chunk: number;
  /** [(c1 − c0) × n] distances for components c0..c1−1; `inverseT[c]` is L_c⁻ᵀ (d × d, row-major). */
  mahalanobis(means: Float64Array, inverseT: Float32Array[], c0: number, c1: number): Float32Array;
  /** [(c1 − c0) × d × d] scatter matrices; `resp` is n × k responsibilities. */
  scatter(means: Float64Array, resp: Float32Array, k: number, c0: number, c1: number): Float32Array;
  dispose(): void;
}

/** Floats of the largest [chunk, n, d] intermediate (~32 MB). */
const CHUNK_FLOATS = 8 * 1024 * 1024;

/** Kernels for n points of dimension d (x: n × d) and k components; `onnx` defaults to where the engine runs. */
export function emKernels(x: Float32Array, n: number, d: number, k: number, onnx = onnxInferenceEnabled()): EmKernels {
  if (onnx) {
    try {
      return new OnnxEmKernels(x, n, d, k);
    } catch {
      // ONNX Runtime refused or is missing: the TF.js path gives the same fit, slower
    }
  }
  return new TfjsEmKernels(x, n, d);
}

function meanRow(means: Float64Array, d: number, c: number): Float32Array {
  return Float32Array.from(means.subarray(c * d, (c + 1) * d));
}

class TfjsEmKernels implements EmKernels {
  readonly chunk = 1;
  private readonly xs: tf.Tensor2D;

  constructor(
    x: Float32Array,
    private readonly n: number,
    private readonly d: number,
  ) {
    this.xs = tf.tensor2d(x, [n, d]);
  }

  mahalanobis(means: Float64Array, inverseT: Float32Array[], c0: number): Float32Array {
    return tf.tidy(() => {
      const diff = tf.sub(this.xs, tf.tensor1d(meanRow(means, this.d, c0)));
      const y = tf.matMul(diff, tf.tensor2d(inverseT[c0], [this.d, this.d]));
      return tf.sum(tf.square(y), 1).dataSync() as Float32Array;
    });
  }

  scatter(means: Float64Array, resp: Float32Array, k: number, c0: number): Float32Array {
    return tf.tidy(() => {
      const diff = tf.sub(this.xs, tf.tensor1d(meanRow(means, this.d, c0)));
      const column = Float32Array.from({ length: this.n }, (_, i) => resp[i * k + c0]);
      const weighted = tf.mul(diff, tf.sqrt(tf.tensor2d(column, [this.n, 1])));
      return tf.matMul(weighted, weighted, true, false).dataSync() as Float32Array;
    });
  }

  dispose(): void {
    this.xs.dispose();
  }
}

function graph(name: string, inputs: OnnxGraph['inputs'], nodes: OnnxGraph['nodes'], output: { name: string; shape: number[] }, axes?: number[]): OnnxGraph {
  const initializers: OnnxGraph['initializers'] = axes ? [{ name: 'axes', dims: [axes.length], type: 'int64', values: BigInt64Array.from(axes.map(BigInt)) }] : [];
  return { name, nodes, initializers, inputs, outputs: [output] };
}

class OnnxEmKernels implements EmKernels {
  readonly chunk: number;
  private readonly distances: SyncSession;
  private readonly scatters: SyncSession;

  constructor(
    private readonly x: Float32Array,
    private readonly n: number,
    private readonly d: number,
    k: number,
  ) {
    // Whole components per call, no more than there are (the last chunk is padded).
    const kc = (this.chunk = Math.max(1, Math.min(k, Math.floor(CHUNK_FLOATS / (n * d)))));
    const common = [
      { name: 'x', shape: [n, d] },
      { name: 'mu', shape: [kc, 1, d] },
    ];
    const diff = { op: 'Sub', inputs: ['x', 'mu'], outputs: ['diff'] };
    this.distances = SyncSession.create(
      encodeModel(
        graph(
          'em_mahalanobis',
          [...common, { name: 'inverseT', shape: [kc, d, d] }],
          [diff, { op: 'MatMul', inputs: ['diff', 'inverseT'], outputs: ['y'] }, { op: 'Mul', inputs: ['y', 'y'], outputs: ['y2'] }, { op: 'ReduceSum', inputs: ['y2', 'axes'], outputs: ['maha'], attrs: { keepdims: 0 } }],
          { name: 'maha', shape: [kc, n] },
          [2],
        ),
      ),
    );
    try {
      this.scatters = SyncSession.create(
        encodeModel(
          graph(
            'em_scatter',
            [...common, { name: 'w', shape: [kc, n, 1] }],
            [
              diff,
              { op: 'Mul', inputs: ['diff', 'w'], outputs: ['wd'] },
              { op: 'Transpose', inputs: ['wd'], outputs: ['wdT'], attrs: { perm: [0, 2, 1] } },
              { op: 'MatMul', inputs: ['wdT', 'wd'], outputs: ['scatter'] },
            ],
            { name: 'scatter', shape: [kc, d, d] },
          ),
        ),
      );
    } catch (error) {
      this.distances.dispose();
      throw error;
    }
  }

  /** Means of components c0..c1−1 as [chunk, 1, d], padded with zeros to a whole chunk. */
  private means(means: Float64Array, c0: number, c1: number): Float32Array {
    const mu = new Float32Array(this.chunk * this.d);
    mu.set(Float32Array.from(means.subarray(c0 * this.d, c1 * this.d)));
    return mu;
  }

  mahalanobis(means: Float64Array, inverseT: Float32Array[], c0: number, c1: number): Float32Array {
    const { chunk, d, n } = this;
    const inv = new Float32Array(chunk * d * d);
    for (let c = c0; c < c1; c++) inv.set(inverseT[c], (c - c0) * d * d);
    const out = this.distances.run({ x: this.x, mu: this.means(means, c0, c1), inverseT: inv }, { x: [n, d], mu: [chunk, 1, d], inverseT: [chunk, d, d] });
    return out.maha.subarray(0, (c1 - c0) * n);
  }

  scatter(means: Float64Array, resp: Float32Array, k: number, c0: number, c1: number): Float32Array {
    const { chunk, d, n } = this;
    const w = new Float32Array(chunk * n);
    for (let c = c0; c < c1; c++) for (let i = 0; i < n; i++) w[(c - c0) * n + i] = Math.sqrt(resp[i * k + c]);
    const out = this.scatters.run({ x: this.x, mu: this.means(means, c0, c1), w }, { x: [n, d], mu: [chunk, 1, d], w: [chunk, n, 1] });
    return out.scatter.subarray(0, (c1 - c0) * d * d);
  }

  dispose(): void {
    this.distances.dispose();
    this.scatters.dispose();
  }
}
