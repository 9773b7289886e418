// How long one benchmark run trains: a wall-clock budget (what a person's time buys on this machine, the measure
// the product is judged by) or a fixed step count (for comparing configurations on a machine whose load varies,
// where the same minutes buy different numbers of steps).
export type TrainingBudget = { kind: 'minutes'; minutes: number } | { kind: 'steps'; steps: number };

/** Short, file-name-safe: "5min", "800steps". */
export function budgetLabel(budget: TrainingBudget): string {
  return budget.kind === 'minutes' ? `${budget.minutes}min` : `${budget.steps}steps`;
}

/** From the command line: --steps wins over --minutes when both are given. */
export function parseBudgets(minutes: string, steps: string | undefined): TrainingBudget[] {
  const numbers = (s: string, what: string, integer: boolean) =>
    s.split(',').map((v) => {
      const n = Number(v.trim());
      if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`--${what} takes positive ${integer ? 'whole ' : ''}numbers, got ${s}`);
      return n;
    });
  if (steps !== undefined) return numbers(steps, 'steps', true).map((n) => ({ kind: 'steps', steps: n }));
  return numbers(minutes, 'minutes', false).map((n) => ({ kind: 'minutes', minutes: n }));
}
