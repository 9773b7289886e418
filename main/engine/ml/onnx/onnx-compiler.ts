// The ONNX compiler of the layer description (../description/layers.ts): the same layers as graph nodes on NCHW
// values, differentiable through GraphBuilder. Weights are graph inputs in ONNX layouts (see ./layout.ts);
// flatten/unflatten pass through height-width-channel order so dense weights match the checkpoint's.
import { LEAK, NORM_EPSILON, NORM_GROUPS } from '../architecture';
import type { Activation, ConvLayer, LayerCompiler } from '../description/layers';
import type { GraphBuilder, Value } from './graph';

export function onnxCompiler(g: GraphBuilder, params: Map<string, Value>): LayerCompiler<Value> {
  const p = (name: string) => {
    const v = params.get(name);
    if (!v) throw new Error(`Missing model parameter ${name}`);
    return v;
  };
  const activate = (x: Value, act: Activation) => {
    if (act === 'leaky') return g.leakyRelu(x, LEAK);
    if (act === 'silu') return g.mul(x, g.sigmoid(x));
    return act === 'tanh' ? g.tanh(x) : x;
  };
  const perChannel = (v: Value) => g.reshape(v, [v.shape[0], 1, 1]);
  const samePad = (l: ConvLayer) => {
    if ((l.kernel - l.stride) % 2 !== 0) throw new Error(`"same" padding is asymmetric for kernel ${l.kernel}, stride ${l.stride}`);
    return { stride: l.stride, pad: (l.kernel - l.stride) / 2 };
  };
  return {
    conv: (x, name, l) => activate(g.conv(x, p(`${name}.w`), p(`${name}.b`), samePad(l)), l.act),
    deconv: (x, name, l) => activate(g.convTranspose(x, p(`${name}.w`), p(`${name}.b`), samePad(l)), l.act),
    dense: (x, name, act) => activate(g.add(g.matmul(x, p(`${name}.w`)), p(`${name}.b`)), act),
    flatten: (x) => g.reshape(g.transpose(x, [0, 2, 3, 1]), [0, x.shape[1] * x.shape[2] * x.shape[3]]),
    unflatten: (x, side, channels) => g.transpose(g.reshape(x, [0, side, side, channels]), [0, 3, 1, 2]),
    split: (x) => {
      const last = x.shape.length - 1;
      const half = x.shape[last] / 2;
      return [g.slice(x, last, 0, half), g.slice(x, last, half, 2 * half)];
    },
    add: (a, b) => g.add(a, b),
    activate,
    upsample: (x) => g.upsample2x(x),
    groupNorm: (x, name) => g.add(g.mul(g.normalizeGroups(x, NORM_GROUPS, NORM_EPSILON), perChannel(p(`${name}.gamma`))), perChannel(p(`${name}.beta`))),
  };
}
