// The Train screen's state on a fake host: history and defaults on load, live events, a new run clearing the
// old run's charts, and Space's start / pause / resume.
import { describe, expect, it, vi } from 'vitest';
import { IDLE_TRAINING_STATE, type Metric, type TrainingState } from '../../../shared/services/training';
import { fakeHost, refuse } from '../test-support/fake-host';
import { TrainingModel } from './training.svelte';

const state = (over: Partial<TrainingState> = {}): TrainingState => ({ ...IDLE_TRAINING_STATE, ...over });
const metric = (runId: number, step: number): Metric => ({ runId, step, epoch: 0, split: 'train', recon: 10, kl: 1, total: 11 });
const DEFAULTS = { epochs: 12, batch: 16, lr: 0.001, beta: 1, seed: 0, newRun: false, time: 'quick' as const };

function setup(current = state()) {
  const host = fakeHost({
    'training.state': () => current,
    'training.history': () => ({
      metrics: [metric(3, 10), metric(3, 20)],
      previews: [
        { runId: 3, epoch: 1, kind: 'samples', image: 'preview/1' },
        { runId: 3, epoch: 2, kind: 'samples', image: 'preview/2' },
      ],
    }),
    'training.defaults': () => DEFAULTS,
    'training.start': () => ({ runId: 4 }),
    'training.pause': () => ({}),
    'training.resume': () => ({}),
  });
  const training = new TrainingModel(host);
  training.listen();
  return { host, training };
}

describe('training state', () => {
  it('loads the run history, the newest previews and the form defaults', async () => {
    const { training } = setup(state({ status: 'paused', runId: 3 }));
    await training.load();
    expect(training.status).toBe('paused');
    expect(training.metrics.map((m) => m.step)).toEqual([10, 20]);
    expect(training.previews).toEqual({ reconstructions: null, samples: 'preview/2', epoch: 2 });
    expect(training.form).toEqual(DEFAULTS);
  });

  it('appends live metrics of the same run and starts afresh when another run reports', async () => {
    const { host, training } = setup();
    await training.load();
    host.emit('training', 'metric', metric(3, 30));
    expect(training.metrics.map((m) => m.step)).toEqual([10, 20, 30]);
    host.emit('training', 'metric', metric(4, 10));
    expect(training.metrics.map((m) => [m.runId, m.step])).toEqual([[4, 10]]);
    expect(training.previews.samples).toBeNull();
    host.emit('training', 'preview', { runId: 4, epoch: 1, kind: 'reconstructions', image: 'preview/9' });
    expect(training.previews).toEqual({ reconstructions: 'preview/9', samples: null, epoch: 1 });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    host.emit('training', 'metric', { runId: 4 }); // malformed: ignored, not thrown
    expect(training.metrics).toHaveLength(1);
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });

  it('"start from random weights" applies to the run it starts, not to the next Start', async () => {
    const { host, training } = setup();
    await training.load();
    training.form!.fromScratch = true;
    await training.start();
    expect(host.inputsOf('training.start')).toEqual([{ ...DEFAULTS, fromScratch: true }]);
    expect(training.form!.fromScratch).toBe(false);
  });

  it('remembers which network the shipped start is offered for, so choosing another network hides the offer', async () => {
    const { training } = setup();
    await training.load();
    expect(training.shippedStartNetwork).toBeUndefined(); // no fromScratch in the defaults: nothing offered
    const offered = new TrainingModel(fakeHost({ 'training.defaults': () => ({ ...DEFAULTS, network: 'spatial', fromScratch: false }), 'training.state': () => state(), 'training.history': () => ({ metrics: [], previews: [] }) }));
    await offered.load();
    expect(offered.shippedStartNetwork).toBe('spatial');
    offered.reset();
    expect(offered.shippedStartNetwork).toBeUndefined();
  });

  it('Space starts with the form when idle, pauses when running and resumes when paused', async () => {
    const { host, training } = setup();
    await training.load();
    training.form!.newRun = true;
    await training.toggle();
    expect(host.inputsOf('training.start')).toEqual([{ ...DEFAULTS, newRun: true }]);
    expect(training.form!.newRun).toBe(false);
    host.emit('training', 'state', state({ status: 'running', runId: 4 }));
    host.answer({ 'training.state': () => state({ status: 'paused', runId: 4 }) }); // the host's state after pausing
    await training.toggle();
    expect(training.status).toBe('paused');
    host.answer({ 'training.state': () => state({ status: 'running', runId: 4 }) });
    await training.toggle();
    expect(training.status).toBe('running');
    expect(host.inputsOf('training.pause')).toHaveLength(1);
    expect(host.inputsOf('training.resume')).toHaveLength(1);
  });

  it('shows a refused start in the error banner and is no longer busy', async () => {
    const { host, training } = setup();
    await training.load();
    host.answer({ 'training.start': refuse('busy', 'An import is running; wait for it to finish.') });
    await training.start();
    expect(training.busy).toBe(false);
    expect(host.errors.items.map((e) => e.message)).toEqual(['An import is running; wait for it to finish.']);
  });

  it('asks how far quick, good and best go for the form, and shows nothing for numbers being typed', async () => {
    const { host, training } = setup();
    await training.load();
    const answer = {
      examplesPerSecond: 100,
      speedFrom: 'measured' as const,
      images: 40,
      examples: 40,
      batch: 16,
      presets: { quick: { steps: 1875, seconds: 300, endsRun: false }, good: { steps: 7500, seconds: 1200, endsRun: false }, best: { steps: 24, seconds: 3.84, endsRun: true } },
    };
    host.answer({ 'training.estimate': () => answer });
    const asked = training.refreshEstimate();
    expect(training.estimating).toBe(true);
    await asked;
    expect(training.estimating).toBe(false);
    expect(training.estimate).toEqual(answer);
    expect(host.inputsOf('training.estimate')).toEqual([{ epochs: 12, batch: 16, newRun: false }]);
    host.answer({ 'training.estimate': refuse('invalid-input', '--epochs must be at least 1') });
    await training.refreshEstimate();
    expect(training.estimate).toBeNull();
  });
});
