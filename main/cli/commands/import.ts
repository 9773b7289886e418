// vae-studio import: scan a folder into a project, listing the files that could not be used and why.
import { importFolder, type ImportReport } from '../../engine/operations/import-folder';
import { ALPHA_MODES } from '../../engine/store';
import { choiceFlag, CommandError, parse, requirePositionals } from '../args';
import { withProject } from './project';
import type { Command } from './types';

const LISTED = 20;

export const importCommand: Command = {
  name: 'import',
  usage: 'vae-studio import <project> <folder> [--alpha auto|keep|flatten]',
  summary: 'scan, decode and prepare a folder of images',
  async run(argv, out, signal) {
    const { values, positionals } = parse(argv, { alpha: { type: 'string' } });
    requirePositionals(positionals, ['<project>', '<folder>'], this.usage);
    // Changing between keep and flatten prepares every image of the project again.
    const alpha = choiceFlag(values.alpha, 'alpha', ALPHA_MODES);
    const report = await withProject(positionals[0], (store) =>
      importFolder(store, positionals[1], { signal, onProgress: (e) => out.progress(e) }, { alpha }),
    );
    if (report.counts.ok === 0) {
      throw new CommandError(
        `No usable images in ${report.folder} (${report.failed.length} failed, ${report.skipped.length} skipped)`,
        { ...report },
        describe(report),
      );
    }
    out.result({ ...report }, describe(report));
  },
};

function describe(r: ImportReport): string {
  const lines = [
    `Imported ${r.folder}: ${r.scanned} files scanned — ${r.added} new, ${r.updated} changed, ${r.unchanged} unchanged, ${r.removed} removed.`,
    `Usable images: ${r.counts.ok} (${r.counts.train} train, ${r.counts.val} held out) · ${r.counts.duplicate} duplicates · ${r.counts.failed} failed.`,
    r.imageChannels === 4 ? 'Transparency kept: the model learns RGBA.' : 'RGB: transparency, if any, flattened over white.',
  ];
  if (r.reprepared > 0) lines.push(`Prepared ${r.reprepared} images again as ${r.imageChannels === 4 ? 'RGBA' : 'RGB'}; start a new training run (--new-run).`);
  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push(`${title}:`);
    for (const item of items.slice(0, LISTED)) lines.push(`  ${item}`);
    if (items.length > LISTED) lines.push(`  … and ${items.length - LISTED} more (see --json)`);
  };
  list('Failed', r.failed.map((f) => `${f.path}: ${f.reason}`));
  list('Skipped', r.skipped.map((s) => `${s.path}: ${s.reason}`));
  list('Duplicates', r.duplicates.map((d) => `${d.path}: ${d.of}`));
  return lines.join('\n');
}
