import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/progress';
import { ProgressTracker } from './progress';

function tracker(): { t: ProgressTracker; events: ProgressEvent[]; at: (seconds: number) => void } {
  let clock = 0;
  const events: ProgressEvent[] = [];
  const t = new ProgressTracker('job', (e) => events.push(e), 0, () => clock);
  return { t, events, at: (seconds) => (clock = seconds * 1000) };
}

describe('ProgressTracker', () => {
  it('times the rate from the first counted report, not from setting up', () => {
    const { t, events, at } = tracker();
    t.update(0, null, 'Scanning', undefined, true);
    at(100); // a long scan, then the first of 1,000 items is done
    t.update(1, 1000, 'item 1', undefined, true);
    at(101);
    t.update(2, 1000, 'item 2', undefined, true);
    expect(events[1].etaSeconds, 'no rate measured yet').toBeNull();
    expect(events[2].etaSeconds).toBeCloseTo(998, 0);
  });

  it('after a resume, counts only the steps taken since', () => {
    const { t, events, at } = tracker();
    at(5);
    t.update(500, 1000, 'step 500', undefined, true);
    at(15);
    t.update(510, 1000, 'step 510', undefined, true);
    expect(events[1].etaSeconds).toBeCloseTo(490, 0);
  });
});
