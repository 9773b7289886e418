// vae-studio train: train or resume a project's run, flags mapped onto shared/training-config.ts's options.
import { train } from '../../engine/operations/train';
import { intFlag, numberFlag, parse, requirePositionals } from '../args';
import { backendFlag, backendOption, withProject } from './project';
import type { Command } from './types';
import type { TrainingOptions } from '../../../shared/training-config';
import { formatDuration } from '../../../shared/progress';

/** "5-minute", "1m 30s". */
function budgetWords(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}-minute` : formatDuration(seconds);
}

export const trainCommand: Command = {
  name: 'train',
  usage:
    'vae-studio train <project> [--time quick|good|best | --minutes N] [--epochs N] [--max-steps N] [--batch 32] [--lr 0.001] [--beta 1] [--warmup STEPS] [--backend auto|onnx|tensorflow|wasm|cpu] [--seed S] [--checkpoint-every STEPS] [--threads N] [--new-run] [--from-scratch] [--network spatial|classic|residual]',
  summary: 'train, or resume from the latest checkpoint, for a time budget (quick: 5 min, good: 20 min) or until the run ends (Ctrl-C saves and stops)',
  async run(argv, out, signal) {
    const { values, positionals } = parse(argv, {
      time: { type: 'string' },
      minutes: { type: 'string' },
      epochs: { type: 'string' },
      'max-steps': { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      beta: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'new-run': { type: 'boolean' },
      'from-scratch': { type: 'boolean' },
      threads: { type: 'string' },
      network: { type: 'string' },
      ...backendOption,
    });
    requirePositionals(positionals, ['<project>'], this.usage);
    const result = await withProject(positionals[0], (store) =>
      train(
        store,
        {
          // The engine checks --time against shared/training-config.ts's presets, as it does the app's choice.
          time: values.time as TrainingOptions['time'],
          minutes: numberFlag(values.minutes, 'minutes'),
          epochs: intFlag(values.epochs, 'epochs'),
          maxSteps: intFlag(values['max-steps'], 'max-steps'),
          batch: intFlag(values.batch, 'batch'),
          lr: numberFlag(values.lr, 'lr'),
          beta: numberFlag(values.beta, 'beta'),
          warmupSteps: intFlag(values.warmup, 'warmup'),
          seed: intFlag(values.seed, 'seed'),
          checkpointEvery: intFlag(values['checkpoint-every'], 'checkpoint-every'),
          newRun: values['new-run'] as boolean | undefined,
          fromScratch: values['from-scratch'] as boolean | undefined,
          threads: intFlag(values.threads, 'threads'),
          // Checked by the engine against shared/training-config.ts's NETWORKS.
          network: values.network as TrainingOptions['network'],
          backend: backendFlag(values.backend),
        },
        {
          signal,
          onProgress: (e) => out.progress(e),
          // A notice travels as a progress event in --json mode, so tools see it too.
          onNotice: (line) => (out.json ? out.progress({ job: 'train', fraction: null, etaSeconds: null, message: line }) : out.say(line)),
        },
      ),
    );
    const how = {
      completed: 'Training complete',
      'max-steps': `Stopped at --max-steps ${result.step}`,
      time: `Stopped after the ${budgetWords(result.budgetSeconds!)} time budget; the checkpoint is saved — run again to train further`,
      interrupted: 'Stopped; the checkpoint is saved — run the same command to resume',
    }[result.stopped];
    const val = result.val ? ` · held-out ${result.val.total.toFixed(1)} nats/image (${result.val.bitsPerDim.toFixed(3)} bits/dim)` : '';
    out.result(
      { ...result },
      `${how}: run ${result.runId}, step ${result.step}, epoch ${result.epoch}${val}.\n` +
        `${result.stepsRun} steps at ${result.imagesPerSecond.toFixed(1)} images/s on ${result.backend.name} (${result.threads} thread${result.threads === 1 ? '' : 's'}); checkpoint ${result.checkpointId ?? 'none'}.`,
    );
  },
};
