// Parameters of the `residual` network (see ./description/layers.ts): the classic skeleton with SiLU, residual
// blocks at the coarse resolutions and a 3×3 output convolution after nearest upsampling. Uniform init bounds
// keep activations' variance roughly constant through each layer, as in ./params.ts.
import { type Architecture, KERNEL, RESIDUAL_MAX_SIDE } from './architecture';
import { decoderSide, encoderSide } from './description/layers';
import { encoderAndDenseSpecs, INITIAL_LOG_SCALE, type ParamSpec } from './param-spec';

/** sqrt(6) for a ReLU-like activation: SiLU passes about as much variance. */
const GAIN = Math.sqrt(6);

function residualBlock(specs: ParamSpec[], name: string, channels: number): void {
  specs.push({ name: `${name}.norm.gamma`, shape: [channels], bound: 0, fill: 1 });
  specs.push({ name: `${name}.norm.beta`, shape: [channels], bound: 0 });
  // Zero: each block starts as the identity (its gradient still flows to these weights).
  specs.push({ name: `${name}.conv.w`, shape: [3, 3, channels, channels], bound: 0 });
  specs.push({ name: `${name}.conv.b`, shape: [channels], bound: 0 });
}

export function residualParamSpecs(arch: Architecture): ParamSpec[] {
  const specs = encoderAndDenseSpecs(arch, GAIN, (list, i, channels) => {
    if (encoderSide(arch, i) <= RESIDUAL_MAX_SIDE) residualBlock(list, `enc${i}.res`, channels);
  });
  const decChannels = [...arch.channels].reverse();
  decChannels.forEach((inCh, i) => {
    if (decoderSide(arch, i) <= RESIDUAL_MAX_SIDE) residualBlock(specs, `dec${i}.res`, inCh);
    if (i < decChannels.length - 1) {
      const outCh = decChannels[i + 1];
      // Transposed 4×4 / 2: each output pixel sees 2×2 taps per input channel.
      specs.push({ name: `dec${i}.w`, shape: [KERNEL, KERNEL, outCh, inCh], bound: GAIN / Math.sqrt(inCh * 4) });
      specs.push({ name: `dec${i}.b`, shape: [outCh], bound: 0 });
    } else {
      specs.push({ name: `dec${i}.w`, shape: [3, 3, inCh, arch.imageChannels], bound: Math.sqrt(3 / (9 * inCh)) });
      specs.push({ name: `dec${i}.b`, shape: [arch.imageChannels], bound: 0 });
    }
  });
  specs.push({ name: 'logscale', shape: [arch.imageChannels], bound: 0, fill: INITIAL_LOG_SCALE });
  return specs;
}
