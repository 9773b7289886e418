// A third compiler of the layer description: standard TF.js layers (tf.layers), for exporting a decoder as a
// layers model that loads anywhere TF.js runs (tf.loadLayersModel) without this app. Only layers every TF.js
// build ships are used; group norm is spelled with them (reshape → permute → layerNormalization over each
// group → back, then a 1×1 depthwise convolution for the per-channel scale and shift).
import * as tf from '@tensorflow/tfjs';
import { LEAK, NORM_EPSILON, NORM_GROUPS } from '../architecture';
import type { Params } from '../params';
import type { Activation, ConvLayer, LayerCompiler } from './layers';

type Sym = tf.SymbolicTensor;

/** Layer names follow parameter names ("dec0.res.conv" → "dec0_res_conv"), made unique per model. */
export function tfjsLayersCompiler(params: Params): LayerCompiler<Sym> {
  const weight = (name: string) => {
    const v = params.get(name);
    if (!v) throw new Error(`Missing model parameter ${name}`);
    return v;
  };
  const used = new Map<string, number>();
  const layerName = (base: string) => {
    const name = base.replaceAll('.', '_');
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    return n === 0 ? name : `${name}_${n}`;
  };
  /** Applies `layer` and then gives it our weights (a layer has weights only once applied). */
  const withWeights = (layer: tf.layers.Layer, x: Sym | Sym[], weights: tf.Tensor[]): Sym => {
    const y = layer.apply(x) as Sym;
    layer.setWeights(weights);
    return y;
  };
  const activate = (x: Sym, act: Activation, at: string): Sym => {
    if (act === 'none') return x;
    if (act === 'leaky') return tf.layers.leakyReLU({ alpha: LEAK, name: layerName(`${at}_leaky_relu`) }).apply(x) as Sym;
    return tf.layers.activation({ activation: act === 'silu' ? 'swish' : 'tanh', name: layerName(`${at}_${act}`) }).apply(x) as Sym;
  };
  const convLike = (kind: 'conv2d' | 'conv2dTranspose', x: Sym, name: string, l: ConvLayer) => {
    const w = weight(`${name}.w`);
    const filters = (kind === 'conv2d' ? w.shape[3] : w.shape[2]) as number;
    const layer = tf.layers[kind]({ filters, kernelSize: l.kernel, strides: l.stride, padding: 'same', name: layerName(name) });
    return activate(withWeights(layer, x, [w, weight(`${name}.b`)]), l.act, name);
  };
  return {
    conv: (x, name, l) => convLike('conv2d', x, name, l),
    deconv: (x, name, l) => convLike('conv2dTranspose', x, name, l),
    dense: (x, name, act) => {
      const w = weight(`${name}.w`);
      return activate(withWeights(tf.layers.dense({ units: w.shape[1] as number, name: layerName(name) }), x, [w, weight(`${name}.b`)]), act, name);
    },
    flatten: (x) => tf.layers.flatten({ name: layerName('flatten') }).apply(x) as Sym,
    unflatten: (x, side, channels) => tf.layers.reshape({ targetShape: [side, side, channels], name: layerName('to_feature_map') }).apply(x) as Sym,
    split: () => {
      throw new Error('The layers export covers the decoder only');
    },
    add: (a, b) => tf.layers.add({ name: layerName('residual_add') }).apply([a, b]) as Sym,
    activate: (x, act) => activate(x, act, 'act'),
    upsample: (x) => tf.layers.upSampling2d({ size: [2, 2], name: layerName('upsample') }).apply(x) as Sym,
    groupNorm: (x, name) => {
      const [, h, w, c] = x.shape as number[];
      const per = c / NORM_GROUPS;
      const at = layerName(name);
      let y = tf.layers.reshape({ targetShape: [h, w, NORM_GROUPS, per], name: `${at}_groups` }).apply(x) as Sym;
      y = tf.layers.permute({ dims: [3, 1, 2, 4], name: `${at}_group_first` }).apply(y) as Sym;
      // layerNormalization handles rank ≤ 4: each group as one flat row.
      y = tf.layers.reshape({ targetShape: [NORM_GROUPS, h * w * per], name: `${at}_group_rows` }).apply(y) as Sym;
      y = tf.layers.layerNormalization({ axis: -1, center: false, scale: false, epsilon: NORM_EPSILON, name: `${at}_normalize` }).apply(y) as Sym;
      y = tf.layers.reshape({ targetShape: [NORM_GROUPS, h, w, per], name: `${at}_group_maps` }).apply(y) as Sym;
      y = tf.layers.permute({ dims: [2, 3, 1, 4], name: `${at}_group_last` }).apply(y) as Sym;
      y = tf.layers.reshape({ targetShape: [h, w, c], name: `${at}_channels` }).apply(y) as Sym;
      const affine = tf.layers.depthwiseConv2d({ kernelSize: 1, depthMultiplier: 1, name: `${at}_scale_shift` });
      return withWeights(affine, y, [tf.reshape(weight(`${name}.gamma`), [1, 1, c, 1]), weight(`${name}.beta`)]);
    },
  };
}
