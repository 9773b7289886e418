/**
 * Sub-pixel (phase) decomposition of the decoder's stride-s, k×k, 'same' conv2dTranspose, as plain array maths
 * (no tensors): which filter taps feed which output phase, and the small ordinary-convolution filters that
 * compute each phase. Built once per set of weights by the inference plan.
 *
 * conv2dTranspose(x, w [k, k, out, in], stride s, 'same') writes output row o = s·q + r (phase r) from input rows
 * q + d with taps a where r + top − a = s·d, top = floor(max(k − s, 0) / 2) being the 'same' padding TF.js uses
 * (conv2DBackpropInput with the forward conv's SAME padding). Per axis every phase is a stride-1 correlation over
 * input rows q + dmin .. q + dmax, so an output phase is one ordinary conv2d with a (dmax − dmin + 1)-tall filter
 * and explicit padding [−dmin, dmax]. No zero insertion, no wasted taps.
 */

export interface Tap {
  /** filter index along the axis */
  a: number;
  /** input offset: output q of this phase reads input q + d */
  d: number;
}

export interface AxisPhase {
  /** output rows s·q + r */
  r: number;
  /** taps, ordered by d ascending (d steps by exactly 1) */
  taps: Tap[];
  dmin: number;
  dmax: number;
}

/** 'same' padding before the data, as TF.js computes it for a conv2dTranspose whose output is s times its input. */
export function samePadBefore(k: number, s: number): number {
  return Math.floor(Math.max(k - s, 0) / 2);
}

/** The s phases of one spatial axis. */
export function axisPhases(k: number, s: number): AxisPhase[] {
  const top = samePadBefore(k, s);
  const phases: AxisPhase[] = [];
  for (let r = 0; r < s; r++) {
    const taps: Tap[] = [];
    for (let a = 0; a < k; a++) {
      const num = r + top - a;
      if (num % s === 0) taps.push({ a, d: num / s });
    }
    taps.sort((p, q) => p.d - q.d);
    if (taps.length === 0) throw new Error(`conv2dTranspose phase ${r} of k=${k}, s=${s} has no taps`);
    const dmin = taps[0].d;
    const dmax = taps[taps.length - 1].d;
    // With 'same' output size (s·H) every phase needs pads >= 0 on both sides: dmin <= 0 <= dmax.
    if (dmin > 0 || dmax < 0) throw new Error(`unsupported conv2dTranspose geometry k=${k}, s=${s}`);
    phases.push({ r, taps, dmin, dmax });
  }
  return phases;
}

/**
 * Filter [th, tw, inC, outC] (conv2d HWIO) computing output phase (ph, pw) from w [k, k, outC, inC], to be applied
 * with explicit padding [[0,0], [−ph.dmin, ph.dmax], [−pw.dmin, pw.dmax], [0,0]]. `scale` multiplies every value.
 */
export function phaseFilter(
  w: Float32Array, k: number, outC: number, inC: number, ph: AxisPhase, pw: AxisPhase, scale = 1,
): { values: Float32Array; shape: [number, number, number, number] } {
  const th = ph.dmax - ph.dmin + 1;
  const tw = pw.dmax - pw.dmin + 1;
  const values = new Float32Array(th * tw * inC * outC);
  for (const ta of ph.taps) {
    for (const tb of pw.taps) {
      const dst = ((ta.d - ph.dmin) * tw + (tb.d - pw.dmin)) * inC * outC;
      const src = (ta.a * k + tb.a) * outC * inC;
      // w[a, b, co, ci] -> f[y, x, ci, co]
      for (let co = 0; co < outC; co++) {
        for (let ci = 0; ci < inC; ci++) values[dst + ci * outC + co] = w[src + co * inC + ci] * scale;
      }
    }
  }
  return { values, shape: [th, tw, inC, outC] };
}

/**
 * The "shifted" single-convolution form: all s phases of an axis read the same T = dmax − dmin + 1 input rows
 * once phase r's output index is shifted by its dmin. One conv2d with T×T filter and s²·outC output channels
 * then computes, at window position u (window rows u .. u+T−1, u from uMin), output rows o = s·u + e0 + i for
 * channel block i (0 <= i < s); in NHWC channel order (i, j, c) this is DepthToSpace's layout. Positions where
 * o falls outside [0, s·H) are the only wasted work (one window row/column per axis for k=4, s=2).
 */
export interface ShiftedAxis {
  /** taps per output phase */
  phases: AxisPhase[];
  /** window height T */
  taps: number;
  /** first window position (input row; negative means inside the padding): the conv's padding before */
  uMin: number;
  /** the conv's padding after the data */
  padAfter: number;
  /** output row of block 0 at window u is s·u + e0 */
  e0: number;
  /** phase (index into phases) of channel block i */
  blockPhase: number[];
}

export function shiftedAxis(k: number, s: number): ShiftedAxis {
  const phases = axisPhases(k, s);
  const taps = phases[0].dmax - phases[0].dmin + 1;
  if (phases.some((p) => p.dmax - p.dmin + 1 !== taps)) throw new Error(`unequal phase windows for k=${k}, s=${s}`);
  // Phase r at window u writes o = s·(u − dmin_r) + r = s·u + e_r.
  const e = phases.map((p) => p.r - s * p.dmin);
  const e0 = Math.min(...e);
  const blockPhase: number[] = new Array(s).fill(-1);
  e.forEach((er, r) => {
    const i = er - e0;
    if (i >= s || blockPhase[i] !== -1) throw new Error(`phases of k=${k}, s=${s} do not tile the output`);
    blockPhase[i] = r;
  });
  return {
    phases,
    taps,
    uMin: Math.min(...phases.map((p) => p.dmin)),
    padAfter: Math.max(...phases.map((p) => p.dmax)),
    e0,
    blockPhase,
  };
}

/**
 * Filter [T, T, inC, s²·outC] of the shifted form, output channel (i·s + j)·outC + c. Window row t of block i
 * (phase r) reads input row q + dmin_r + t.
 */
export function shiftedFilter(
  w: Float32Array, k: number, s: number, outC: number, inC: number, axis: ShiftedAxis, scale = 1,
): { values: Float32Array; shape: [number, number, number, number] } {
  const T = axis.taps;
  const outAll = s * s * outC;
  const values = new Float32Array(T * T * inC * outAll);
  for (let i = 0; i < s; i++) {
    const ph = axis.phases[axis.blockPhase[i]];
    for (let j = 0; j < s; j++) {
      const pw = axis.phases[axis.blockPhase[j]];
      const block = (i * s + j) * outC;
      for (const ta of ph.taps) {
        for (const tb of pw.taps) {
          const dst = ((ta.d - ph.dmin) * T + (tb.d - pw.dmin)) * inC * outAll;
          const src = (ta.a * k + tb.a) * outC * inC;
          for (let ci = 0; ci < inC; ci++) {
            const row = dst + ci * outAll + block;
            for (let co = 0; co < outC; co++) values[row + co] = w[src + co * inC + ci] * scale;
          }
        }
      }
    }
  }
  return { values, shape: [T, T, inC, outAll] };
}
