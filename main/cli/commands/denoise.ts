// vae-studio denoise: one photo, or a whole folder into another (resumable), with a per-file report.
import { stat } from 'node:fs/promises';
import { DenoiseBatchError } from '../../engine/denoise/errors';
import { reportCsv } from '../../engine/denoise/report-csv';
import { writeFileAtomic } from '../../engine/images/atomic-write';
import { denoiseFile, denoiseFolder } from '../../engine/operations/denoise';
import type { NoiseLevel } from '../../engine/operations/denoiser-session';
import type { ProjectStore } from '../../engine/store';
import { DENOISE_QUALITIES } from '../../engine/ml/denoiser/self-ensemble';
import { CONFLICT_POLICIES } from '../../engine/store/denoise-batches';
import { choiceFlag, CommandError, intFlag, numberFlag, parse, requirePositionals, UsageError } from '../args';
import { backendFlag, backendOption, withProject } from './project';
import type { Command } from './types';

const LISTED = 20;

export const denoiseCommand: Command = {
  name: 'denoise',
  usage:
    'vae-studio denoise <project> <in file|folder> <out file|folder> [--on-conflict rename|skip|overwrite] [--strength 0..1] [--sigma 0..100] [--quality fast|best] [--report out.csv] [--checkpoint ID] [--threads N] [--backend auto|onnx|tensorflow|wasm|cpu]',
  summary: 'denoise a photo or a folder of photos (folders resume where they stopped)',
  async run(argv, out, signal) {
    const { values, positionals } = parse(argv, {
      'on-conflict': { type: 'string' },
      strength: { type: 'string' },
      sigma: { type: 'string' },
      quality: { type: 'string' },
      report: { type: 'string' },
      checkpoint: { type: 'string' },
      threads: { type: 'string' },
      ...backendOption,
    });
    requirePositionals(positionals, ['<project>', '<in file|folder>', '<out file|folder>'], this.usage);
    const [project, input, output] = positionals;
    const opts = {
      onConflict: choiceFlag(values['on-conflict'], 'on-conflict', CONFLICT_POLICIES),
      strength: numberFlag(values.strength, 'strength'),
      sigma: numberFlag(values.sigma, 'sigma'),
      quality: choiceFlag(values.quality, 'quality', DENOISE_QUALITIES),
      checkpointId: intFlag(values.checkpoint, 'checkpoint'),
      threads: intFlag(values.threads, 'threads'),
      backend: backendFlag(values.backend),
    };
    const ctx = { signal, onProgress: out.progress.bind(out), onNotice: (line: string) => out.say(line) };
    const isFolder = await stat(input).then((s) => s.isDirectory(), () => false);

    await withProject(project, async (store) => {
      try {
        await run(store);
      } catch (err) {
        // The refusal's code travels with --json, so scripts need not parse the message.
        if (err instanceof DenoiseBatchError) throw new CommandError(err.message, { code: err.code }, '');
        throw err;
      }
    });

    async function run(store: ProjectStore) {
      if (!isFolder) {
        if (values.report) throw new UsageError('--report is for folders; a single file has nothing to list');
        const r = await denoiseFile(store, input, output, opts, ctx);
        const best = r.best ? `; best quality: ${r.best}` : '';
        const done = `Denoised ${input} → ${r.output} (${r.width}×${r.height}${r.noise ? `; ${describeNoise(r.noise)}` : ''}${best}).`;
        out.result({ ...r }, r.status === 'skipped' ? `Skipped: ${r.output} exists (--on-conflict skip).` : done);
        return;
      }
      const report = await denoiseFolder(store, input, output, opts, ctx);
      if (values.report) await writeFileAtomic(values.report as string, reportCsv(store, report.batchId));
      out.result({ ...report, ...(values.report ? { reportCsv: values.report } : {}) }, describe(report, values.report as string | undefined));
    }
  },
};

/** "noise σ 24.8 (estimated), 97% denoised", or "noise σ 30 (--sigma; estimated 24.8), 98% denoised". */
function describeNoise(n: NoiseLevel): string {
  const est = n.estimatedSigma === null ? 'too small to estimate' : `estimated ${n.estimatedSigma.toFixed(1)}`;
  const sigma = n.sigmaFrom === 'user' ? `noise σ ${n.sigma} (--sigma; ${est})` : n.estimatedSigma === null ? `noise ${est}` : `noise σ ${n.estimatedSigma.toFixed(1)} (estimated)`;
  return `${sigma}, ${Math.round(n.blend * 100)}% denoised`;
}

function describe(r: Awaited<ReturnType<typeof denoiseFolder>>, csv: string | undefined): string {
  const lines = [
    `Denoised ${r.inputFolder} → ${r.outputFolder}: ${r.done} done, ${r.skipped} skipped, ${r.failed.length} failed` +
      `${r.resumed ? ` (continued batch ${r.batchId}; ${r.written} written this time)` : ''}${r.best ? `; best quality: ${r.best}` : ''}.`,
  ];
  const noisy = r.noise.filter((n) => n.estimatedSigma !== null);
  if (noisy.length) lines.push('Noise σ (0..255) per photo, estimated' + (noisy.some((n) => n.sigma !== n.estimatedSigma) ? ' → used:' : ':'));
  for (const n of noisy.slice(0, LISTED)) lines.push(`  ${n.path}: ${n.estimatedSigma!.toFixed(1)}${n.sigma !== n.estimatedSigma ? ` → ${n.sigma?.toFixed(1)}` : ''}`);
  if (noisy.length > LISTED) lines.push(`  … and ${noisy.length - LISTED} more (see --report or --json)`);
  if (r.failed.length) lines.push('Failed:');
  for (const f of r.failed.slice(0, LISTED)) lines.push(`  ${f.path}: ${f.reason}`);
  if (r.failed.length > LISTED) lines.push(`  … and ${r.failed.length - LISTED} more (see --report or --json)`);
  if (csv) lines.push(`Report: ${csv}`);
  return lines.join('\n');
}
