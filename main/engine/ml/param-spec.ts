// How a parameter is declared and first filled, and the part every network's parameter list shares (./params.ts
// and ./residual-params.ts).
import { type Architecture, KERNEL } from './architecture';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Uniform init bound; 0 means a constant (fill). */
  bound: number;
  fill?: number;
}

/**
 * Starting log-scale of the likelihood, in [-1, 1] pixel units: e^-2 ≈ 17 of 255 levels. Adam moves it about lr
 * per step, so starting near useful values (rather than 0, a scale as wide as the whole range) saves thousands
 * of steps of early training.
 */
export const INITIAL_LOG_SCALE = -2;

/**
 * The strided 4×4 encoder convolutions and both dense layers, which the classic and residual networks have;
 * `afterEncoderLayer` adds what a network puts after encoder layer i. `gain` sets the init bound for the
 * activation that follows a layer.
 */
export function encoderAndDenseSpecs(arch: Architecture, gain: number, afterEncoderLayer?: (specs: ParamSpec[], i: number, channels: number) => void): ParamSpec[] {
  const specs = encoderSpecs(arch, gain, afterEncoderLayer);
  const units = arch.bottleneckUnits;
  specs.push({ name: 'enc.dense.w', shape: [units, 2 * arch.latent], bound: Math.sqrt(3 / units) });
  specs.push({ name: 'enc.dense.b', shape: [2 * arch.latent], bound: 0 });
  specs.push({ name: 'dec.dense.w', shape: [arch.latent, units], bound: gain / Math.sqrt(arch.latent) });
  specs.push({ name: 'dec.dense.b', shape: [units], bound: 0 });
  return specs;
}

/** The strided 4×4 encoder convolutions every network has. */
export function encoderSpecs(arch: Architecture, gain: number, afterEncoderLayer?: (specs: ParamSpec[], i: number, channels: number) => void): ParamSpec[] {
  const specs: ParamSpec[] = [];
  let inC: number = arch.imageChannels;
  arch.channels.forEach((outC, i) => {
    specs.push({ name: `enc${i}.w`, shape: [KERNEL, KERNEL, inC, outC], bound: gain / Math.sqrt(KERNEL * KERNEL * inC) });
    specs.push({ name: `enc${i}.b`, shape: [outC], bound: 0 });
    afterEncoderLayer?.(specs, i, outC);
    inC = outC;
  });
  return specs;
}
