// The TF.js compiler of the layer description: tfjs-core ops on NHWC tensors, with the fused bias + leaky ReLU
// where it applies. Runs on every TF.js backend (reference, WebAssembly, tfjs-node).
import * as tf from '@tensorflow/tfjs-core';
import { LEAK, NORM_EPSILON, NORM_GROUPS } from '../architecture';
import { biasLeakyRelu } from '../fused/bias-leaky-relu';
import type { Params } from '../params';
import type { Activation, ConvLayer, LayerCompiler } from './layers';

/** A parameter by name, typed as a tensor of rank R; throws if the model has none of that name. */
export function param<R extends tf.Rank>(params: Params, name: string): tf.Tensor<R> {
  const v = params.get(name);
  if (!v) throw new Error(`Missing model parameter ${name}`);
  return v as unknown as tf.Tensor<R>;
}

function activate<T extends tf.Tensor>(x: T, bias: tf.Tensor1D, act: Activation): T {
  if (act === 'leaky') return biasLeakyRelu(x, bias, LEAK) as T;
  return nonlinearity(tf.add(x, bias) as T, act);
}

function nonlinearity<T extends tf.Tensor>(x: T, act: Activation): T {
  if (act === 'leaky') return tf.leakyRelu(x, LEAK) as T;
  if (act === 'silu') return tf.mul(x, tf.sigmoid(x)) as T;
  return act === 'tanh' ? (tf.tanh(x) as T) : x;
}

/** Group normalisation of an NHWC map (statistics per example and group, over height, width and the group's channels). */
function groupNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const grouped = tf.reshape(x, [n, h, w, NORM_GROUPS, c / NORM_GROUPS]);
  const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
  const normed = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, NORM_EPSILON))), [n, h, w, c]);
  return tf.add(tf.mul(normed, gamma), beta);
}

export function tfjsCompiler(params: Params): LayerCompiler<tf.Tensor> {
  const bias = (name: string) => param<tf.Rank.R1>(params, `${name}.b`);
  return {
    conv: (x, name, l: ConvLayer) => activate(tf.conv2d(x as tf.Tensor4D, param<tf.Rank.R4>(params, `${name}.w`), l.stride, 'same'), bias(name), l.act),
    deconv: (x, name, l: ConvLayer) => {
      const w = param<tf.Rank.R4>(params, `${name}.w`);
      const [n, h, wd] = x.shape;
      const out: [number, number, number, number] = [n, h * l.stride, wd * l.stride, w.shape[2]];
      return activate(tf.conv2dTranspose(x as tf.Tensor4D, w, out, l.stride, 'same'), bias(name), l.act);
    },
    dense: (x, name, act) => activate(tf.matMul(x as tf.Tensor2D, param<tf.Rank.R2>(params, `${name}.w`)), bias(name), act),
    flatten: (x) => tf.reshape(x, [x.shape[0], -1]),
    unflatten: (x, side, channels) => tf.reshape(x, [x.shape[0], side, side, channels]),
    split: (x) => tf.split(x, 2, x.rank - 1) as [tf.Tensor, tf.Tensor],
    add: (a, b) => tf.add(a, b),
    activate: (x, act) => nonlinearity(x, act),
    // Broadcasting against ones repeats each pixel 2×2 and differentiates on every backend (a sum over the copies).
    upsample: (x) => {
      const [n, h, w, c] = x.shape;
      return tf.reshape(tf.mul(tf.reshape(x, [n * h, 1, w, 1, c]), tf.ones([1, 2, 1, 2, 1])), [n, 2 * h, 2 * w, c]);
    },
    groupNorm: (x, name) => groupNorm(x, param<tf.Rank.R1>(params, `${name}.gamma`), param<tf.Rank.R1>(params, `${name}.beta`)),
  };
}
