// The Train screen's choice of time, through the app engine as a host drives it: a new generator project starts on
// quick with an estimate from a few steps timed on this machine; quick begins a run measured in time with the time
// left counted down from its budget at once; once the project has trained, estimates come from its own steps. A
// denoise project keeps its epochs-based run (best) by default.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine } from './test-engine';
import type { AppEngine } from '../../../main/studio/api';
import { OPEN_ENDED_EPOCHS } from '../../../shared/training-config';
import { makeTempFolder, writeArtFolder } from '../files';

const SIZE = 16;
const tmp = makeTempFolder('time-presets');
const images = join(tmp.dir, 'my pictures');
let engine: AppEngine;
const states: any[] = [];
const call = (service: string, method: string, input: unknown = {}) => engine.dispatch(service, method, input) as Promise<any>;

async function waitFor(check: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  await writeArtFolder(images, 40, SIZE, 800);
  engine = createTestEngine(tmp.dir);
  engine.onEvent((service, event, payload) => {
    if (service === 'training' && event === 'state') states.push(payload);
  });
});

afterAll(async () => {
  await engine?.shutdown();
  tmp.remove();
});

describe('choosing how long to train', () => {
  it('a new generator project offers quick first, with steps and passes from a few steps timed now', async () => {
    await call('projects', 'create', { name: 'Quick', imageSize: SIZE, latentSize: 8 });
    await call('dataset', 'import', { folder: images, jobId: 'import-1' });
    const defaults = await call('training', 'defaults');
    expect(defaults.time).toBe('quick');

    const estimate = await call('training', 'estimate', { epochs: defaults.epochs, batch: defaults.batch });
    expect(estimate.speedFrom).toBe('measured');
    expect(estimate.examplesPerSecond).toBeGreaterThan(0);
    expect(estimate.examples).toBe(estimate.images);
    // Five minutes at the timed speed, in whole steps; twenty buy four times as many.
    const stepsPerSecond = estimate.examplesPerSecond / estimate.batch;
    expect(estimate.presets.quick).toEqual({ steps: Math.floor(300 * stepsPerSecond), seconds: 300, endsRun: false });
    expect(estimate.presets.good.steps).toBe(Math.floor(1200 * stepsPerSecond));
    const stepsPerEpoch = Math.floor(estimate.examples / estimate.batch);
    expect(estimate.presets.best.steps).toBe(defaults.epochs * stepsPerEpoch);
  });

  it('quick begins a run measured in time, counts its budget down from the start, and stops at a checkpoint', async () => {
    const defaults = await call('training', 'defaults');
    await call('training', 'start', defaults);
    const running = await call('training', 'state');
    expect(running.budgetSeconds).toBe(300);
    expect(running.epochs, 'no default epoch count ends a timed run').toBe(OPEN_ENDED_EPOCHS);
    expect(running.etaSeconds).toBeGreaterThan(250);
    expect(running.etaSeconds).toBeLessThanOrEqual(300);
    await waitFor(() => states.some((s) => s.status === 'running' && s.step >= 60), 'sixty steps');
    await new Promise((r) => setTimeout(r, 2500)); // long enough for the project's own steps to give a speed
    await call('training', 'stop');
    const stopped = await call('training', 'state');
    expect(stopped).toMatchObject({ status: 'idle', stopped: 'interrupted' });
    expect(stopped.savedStep).toBeGreaterThan(0);

    // Back on the form: still quick, and best offers as much training again as a new run would get.
    const next = await call('training', 'defaults');
    expect(next.time).toBe('quick');
    expect(next.network, 'the form shows the network the run keeps').toBe('classic');
    expect(next.epochs).toBeGreaterThan(defaults.epochs);
    const estimate = await call('training', 'estimate', { epochs: next.epochs, batch: next.batch });
    expect(estimate.speedFrom).toBe('project');
  });

  it('another network starts a new run with it, and the form then shows it', async () => {
    const defaults = await call('training', 'defaults');
    const from = states.length;
    await call('training', 'start', { ...defaults, time: 'best', epochs: 200, network: 'residual', newRun: true });
    await waitFor(() => states.slice(from).some((s) => s.status === 'running' && s.step >= 5), 'five residual steps');
    await call('training', 'stop');
    const next = await call('training', 'defaults');
    expect(next.network, 'continuing keeps the run\'s network').toBe('residual');
  });

  it('a denoise project keeps its epochs-based run by default, with no network to choose', async () => {
    await call('projects', 'create', { name: 'Photos', kind: 'denoise' });
    await call('dataset', 'import', { folder: images, jobId: 'import-2' });
    const defaults = await call('training', 'defaults');
    expect(defaults.time).toBe('best');
    expect(defaults.network).toBeUndefined();
    const estimate = await call('training', 'estimate', { epochs: defaults.epochs, batch: defaults.batch });
    expect(estimate.examples, 'a pass goes over several crops of each photo').toBeGreaterThan(estimate.images);
  });
});
