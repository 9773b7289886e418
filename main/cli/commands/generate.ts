// vae-studio sample, reconstruct and interpolate: images written from the model.
import { interpolate, reconstruct, sample } from '../../engine/operations/generate';
import { choiceFlag, intFlag, numberFlag, parse, requirePositionals, UsageError } from '../args';
import { backendFlag, backendOption, withProject } from './project';
import type { Command } from './types';

function requireOut(value: unknown, usage: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`Missing --out <file>. Usage: ${usage}`);
  return value;
}

export const sampleCommand: Command = {
  name: 'sample',
  usage: 'vae-studio sample <project> --out F.png [--count 16] [--seed S] [--temperature T] [--prior fitted|standard] [--checkpoint ID]',
  summary: 'images from the prior',
  async run(argv, out) {
    const { values, positionals } = parse(argv, {
      out: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      temperature: { type: 'string' },
      prior: { type: 'string' },
      checkpoint: { type: 'string' },
      ...backendOption,
    });
    requirePositionals(positionals, ['<project>'], this.usage);
    const file = requireOut(values.out, this.usage);
    const result = await withProject(positionals[0], (store) =>
      sample(store, {
        prior: choiceFlag(values.prior, 'prior', ['fitted', 'standard'] as const),
        out: file,
        count: intFlag(values.count, 'count'),
        seed: intFlag(values.seed, 'seed'),
        temperature: numberFlag(values.temperature, 'temperature'),
        checkpointId: intFlag(values.checkpoint, 'checkpoint'),
        backend: backendFlag(values.backend),
      }), true);
    const from = result.prior === 'fitted' ? 'the fitted prior' : 'N(0, I)';
    out.result({ ...result }, `Wrote ${result.count} samples from ${from} to ${result.out} (seed ${result.seed}, temperature ${result.temperature}, checkpoint ${result.checkpointId}).`);
  },
};

export const reconstructCommand: Command = {
  name: 'reconstruct',
  usage: 'vae-studio reconstruct <project> <image...> --out F.png [--checkpoint ID]',
  summary: 'encode and decode images (originals above, reconstructions below)',
  async run(argv, out) {
    const { values, positionals } = parse(argv, { out: { type: 'string' }, checkpoint: { type: 'string' }, ...backendOption });
    requirePositionals(positionals, ['<project>', '<image>'], this.usage);
    const file = requireOut(values.out, this.usage);
    const result = await withProject(positionals[0], (store) =>
      reconstruct(store, { images: positionals.slice(1), out: file, checkpointId: intFlag(values.checkpoint, 'checkpoint'), backend: backendFlag(values.backend) }), true);
    out.result({ ...result }, `Wrote ${result.count} reconstructions to ${result.out} (checkpoint ${result.checkpointId}).`);
  },
};

export const interpolateCommand: Command = {
  name: 'interpolate',
  usage: 'vae-studio interpolate <project> <imageA> <imageB> --out F.gif|F.png [--frames 16] [--mode slerp|linear] [--checkpoint ID]',
  summary: 'morph between two images through the latent space',
  async run(argv, out) {
    const { values, positionals } = parse(argv, {
      out: { type: 'string' },
      frames: { type: 'string' },
      mode: { type: 'string' },
      checkpoint: { type: 'string' },
      ...backendOption,
    });
    requirePositionals(positionals, ['<project>', '<imageA>', '<imageB>'], this.usage);
    const file = requireOut(values.out, this.usage);
    const result = await withProject(positionals[0], (store) =>
      interpolate(store, {
        a: positionals[1],
        b: positionals[2],
        out: file,
        frames: intFlag(values.frames, 'frames'),
        mode: choiceFlag(values.mode, 'mode', ['slerp', 'linear'] as const),
        checkpointId: intFlag(values.checkpoint, 'checkpoint'),
        backend: backendFlag(values.backend),
      }), true);
    out.result({ ...result }, `Wrote ${result.frames} ${result.mode} frames to ${result.out} (checkpoint ${result.checkpointId}).`);
  },
};
