// The command line's budgets: minutes by default, steps when asked, nonsense refused.
import { describe, expect, it } from 'vitest';
import { budgetLabel, parseBudgets } from './budget';

describe('parseBudgets', () => {
  it('reads minutes, or steps when given', () => {
    expect(parseBudgets('5,20', undefined).map(budgetLabel)).toEqual(['5min', '20min']);
    expect(parseBudgets('5,20', '300').map(budgetLabel)).toEqual(['300steps']);
  });

  it('refuses zero, negative and fractional steps', () => {
    expect(() => parseBudgets('0', undefined)).toThrow(/positive/);
    expect(() => parseBudgets('1', '2.5')).toThrow(/whole/);
  });
});
