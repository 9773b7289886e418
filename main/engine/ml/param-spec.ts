// How a parameter is declared and first filled, for every network's parameter list (./params.ts and
// ./residual-params.ts).

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
