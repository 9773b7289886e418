// Adam with PyTorch's update rule and state we own, so a checkpoint restores the optimizer exactly.
import * as tf from '@tensorflow/tfjs-core';
import { canFuseAdam, fusedAdamUpdate } from './fused/adam-update';
import { fusedOpsEnabled } from './fused/switch';
import { packTensors, type Params, unpackTensors } from './params';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class Adam {
  private step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(
    private readonly params: Params,
    private readonly opts: AdamOptions,
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  get iterations(): number {
    return this.step;
  }

  apply(grads: tf.NamedTensorMap): void {
    this.step++;
    const { beta1, beta2, eps } = this;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    const stepSize = this.opts.lr / bc1;
    const sqrtBc2 = Math.sqrt(bc2);
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads[name];
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        if (fusedOpsEnabled() && canFuseAdam(p) && g.dtype === 'float32') {
          // one pass over the heap instead of ~10 ops (fused/adam-update.ts)
          const [pn, mn, vn] = fusedAdamUpdate(p, m, v, g, { beta1, beta2, eps, stepSize, sqrtBc2 });
          m.assign(mn);
          v.assign(vn);
          p.assign(pn);
          continue;
        }
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
      }
    });
  }

  serialize(): Buffer {
    const entries: { name: string; shape: number[]; values: Float32Array }[] = [
      { name: '@step', shape: [1], values: Float32Array.of(this.step) },
    ];
    for (const name of this.params.keys()) {
      entries.push({ name: `${name}/m`, shape: this.m.get(name)!.shape, values: this.m.get(name)!.dataSync() as Float32Array });
      entries.push({ name: `${name}/v`, shape: this.v.get(name)!.shape, values: this.v.get(name)!.dataSync() as Float32Array });
    }
    return packTensors(entries);
  }

  load(blob: Uint8Array): void {
    const entries = new Map(unpackTensors(blob).map((e) => [e.name, e]));
    const step = entries.get('@step');
    if (!step) throw new Error('Optimizer state is damaged (no step)');
    for (const [name, slots] of [['m', this.m], ['v', this.v]] as const) {
      for (const [param, variable] of slots) {
        const e = entries.get(`${param}/${name}`);
        if (!e || e.shape.join() !== variable.shape.join()) throw new Error(`Optimizer state does not match the model (${param})`);
        const t = tf.tensor(e.values, e.shape);
        variable.assign(t);
        t.dispose();
      }
    }
    this.step = step.values[0];
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
