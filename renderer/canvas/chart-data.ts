// Training metrics → uPlot's aligned columns: x = step, one train and one validation series per loss.
import type { Metric } from '../../shared/services/training';

export type LossKey = 'recon' | 'kl' | 'total';
export type AlignedSeries = [number[], (number | null)[], (number | null)[]];

/** Steps ascending; a step with only a train value has null validation and vice versa (uPlot skips nulls). */
export function alignLosses(metrics: readonly Metric[], key: LossKey): AlignedSeries {
  const byStep = new Map<number, { train: number | null; validation: number | null }>();
  for (const m of metrics) {
    const row = byStep.get(m.step) ?? { train: null, validation: null };
    row[m.split] = m[key];
    byStep.set(m.step, row);
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  return [steps, steps.map((s) => byStep.get(s)!.train), steps.map((s) => byStep.get(s)!.validation)];
}
