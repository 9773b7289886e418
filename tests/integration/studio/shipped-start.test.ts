// The Train form's "Start from random weights": offered for a 64×64 generator project (the shape the shipped
// starting point was trained for, resources/generator), not for other shapes; ticked, the run starts from random
// weights as a new run; left alone, a new run says it starts from the shipped model.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine } from './test-engine';
import type { AppEngine } from '../../../main/studio/api';
import { makeTempFolder, writeArtFolder } from '../files';

const tmp = makeTempFolder('studio-shipped-start');
let engine: AppEngine;
const messages: string[] = [];
const finished: string[] = [];
const call = (service: string, method: string, input: unknown = {}) => engine.dispatch(service, method, input) as Promise<any>;

async function trainOneEpoch(options: Record<string, unknown>): Promise<{ runId: number; said: string[] }> {
  const from = messages.length;
  const done = finished.length;
  const { runId } = await call('training', 'start', { ...options, time: 'best', epochs: 1 });
  const until = Date.now() + 120_000;
  while (finished.length === done) {
    if (Date.now() > until) throw new Error('Timed out waiting for one epoch');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { runId, said: messages.slice(from) };
}

beforeAll(async () => {
  await writeArtFolder(join(tmp.dir, 'art64'), 24, 64, 300);
  await writeArtFolder(join(tmp.dir, 'art16'), 24, 16, 300);
  engine = createTestEngine(tmp.dir);
  engine.onEvent((service, event, payload: any) => {
    if (service === 'jobs' && event === 'progress' && payload.kind === 'train') messages.push(payload.message ?? '');
    if (service === 'jobs' && event === 'finished' && payload.kind === 'train') finished.push(payload.status);
  });
});

afterAll(async () => {
  await engine?.shutdown();
  tmp.remove();
});

describe('starting a 64×64 project from the shipped model', () => {
  it('is offered unticked, and a ticked box starts a new run from random weights', async () => {
    await call('projects', 'create', { name: 'Small', imageSize: 64, latentSize: 128 });
    await call('dataset', 'import', { folder: join(tmp.dir, 'art64'), jobId: 'import-64' });
    const defaults = await call('training', 'defaults');
    expect(defaults.fromScratch).toBe(false);

    const shipped = await trainOneEpoch(defaults);
    expect(shipped.said.some((m) => m.startsWith('Starting from the shipped 64×64 model'))).toBe(true);
    // The app speaks of its own controls, never of the command line's flags.
    expect(shipped.said.filter((m) => /(^|\s)--[a-z]/.test(m))).toEqual([]);
    // And the Train screen's status keeps saying where the weights came from after the message has passed.
    expect((await call('training', 'state')).notes).toEqual([expect.stringMatching(/^Starting from the shipped 64×64 model/)]);

    // Ticked: a new run that says nothing of the shipped model.
    const scratch = await trainOneEpoch({ ...defaults, fromScratch: true });
    expect(scratch.runId).toBeGreaterThan(shipped.runId);
    expect(scratch.said.some((m) => m.includes('shipped'))).toBe(false);
    expect((await call('training', 'state')).notes).toEqual([]);
    expect(finished).toEqual(['done', 'done']);
  });

  it('is not offered for a project of another size', async () => {
    await call('projects', 'create', { name: 'Tiny', imageSize: 16, latentSize: 8 });
    await call('dataset', 'import', { folder: join(tmp.dir, 'art16'), jobId: 'import-16' });
    expect((await call('training', 'defaults')).fromScratch).toBeUndefined();
  });
});
