// vae-studio info: a project, its dataset, runs and checkpoints, and the backend that would run.
import { initBackend } from '../../engine/ml/backends';
import { projectInfo, type ProjectInfo } from '../../engine/operations/info';
import { parse, requirePositionals } from '../args';
import { withProject } from './project';
import type { Command } from './types';
import { OPEN_ENDED_EPOCHS } from '../../../shared/training-config';

export const infoCommand: Command = {
  name: 'info',
  usage: 'vae-studio info <project>',
  summary: 'project, dataset, runs, checkpoints and the backend that would run',
  async run(argv, out) {
    const { positionals } = parse(argv, {});
    requirePositionals(positionals, ['<project>'], this.usage);
    const backend = await initBackend('auto');
    const info = await withProject(positionals[0], async (store) => projectInfo(store, backend), true);
    out.result({ ...info }, describe(info));
  },
};

function describe(i: ProjectInfo): string {
  const mb = (i.bytes / 1e6).toFixed(1);
  const lines = [
    `${i.path} — ${i.kind} project, ${i.imageSize}×${i.imageSize}, latent ${i.latentSize}, ${i.imageChannels === 4 ? 'RGBA (transparency kept)' : 'RGB'}, ${mb} MB (schema ${i.schemaVersion})`,
    `Images: ${i.images.ok} usable (${i.images.train} train, ${i.images.val} held out), ${i.images.duplicate} duplicates, ${i.images.failed} failed`,
  ];
  if (!i.runs.length) lines.push('Runs: none yet');
  for (const run of i.runs) {
    const cfg = run.config;
    lines.push(`Run ${run.id} (${run.status}): step ${run.latestStep}, ${cfg.epochs >= OPEN_ENDED_EPOCHS ? 'measured in time (no last epoch)' : `epochs ${cfg.epochs}`}, batch ${cfg.batch}, lr ${cfg.lr}, beta ${cfg.beta}, seed ${cfg.seed}${i.kind === 'generate' ? `, ${cfg.network ?? 'classic'} network` : ''}`);
    if (run.error) lines.push(`  error: ${run.error}`);
    for (const c of run.checkpoints) {
      const loss = typeof c.losses.valTotal === 'number' ? ` held-out ${c.losses.valTotal.toFixed(1)} nats` : '';
      const { valPsnr, startingPsnr } = c.losses;
      const denoising =
        typeof valPsnr === 'number' ? `, denoises held-out crops at ${valPsnr.toFixed(2)} dB${typeof startingPsnr === 'number' ? ` (shipped ${startingPsnr.toFixed(2)} dB)` : ''}` : '';
      lines.push(`  checkpoint ${c.id}: step ${c.step}, epoch ${c.epoch}${loss}${denoising}${c.pinned ? ' (pinned)' : ''}`);
    }
  }
  if (i.backend) {
    lines.push(`Backend: ${i.backend.name}`);
    for (const r of i.backend.reasons) lines.push(`  ${r.ok ? '✓' : '✗'} ${r.backend}: ${r.reason}`);
  }
  return lines.join('\n');
}
