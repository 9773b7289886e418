// vae-studio new: create a project file, generator or denoiser, with the defaults of its kind.
import { ALPHA_MODES, PROJECT_KINDS, openProject } from '../../engine/store';
import { projectDefaults } from '../../engine/operations/project-defaults';
import { APP_VERSION } from '../../engine/version';
import { choiceFlag, intFlag, parse, requirePositionals } from '../args';
import type { Command } from './types';

export const newCommand: Command = {
  name: 'new',
  usage: 'vae-studio new <project> [--kind generate|denoise] [--size 64 (denoise: 128)] [--latent 512 (denoise: 16)] [--alpha auto|keep|flatten]',
  summary: 'create a project file',
  async run(argv, out) {
    const { values, positionals } = parse(argv, { size: { type: 'string' }, latent: { type: 'string' }, kind: { type: 'string' }, alpha: { type: 'string' } });
    requirePositionals(positionals, ['<project>'], this.usage);
    const kind = choiceFlag(values.kind, 'kind', PROJECT_KINDS) ?? 'generate';
    const defaults = projectDefaults(kind);
    const settings = {
      kind,
      imageSize: intFlag(values.size, 'size') ?? defaults.imageSize,
      latentSize: intFlag(values.latent, 'latent') ?? defaults.latentSize,
      appVersion: APP_VERSION,
      // Transparency: 'auto' keeps it when the first import has any, 'keep' always, 'flatten' never (over white).
      alpha: choiceFlag(values.alpha, 'alpha', ALPHA_MODES) ?? 'auto',
    };
    const store = openProject(positionals[0], { create: settings });
    store.close();
    out.result(
      { project: positionals[0], ...settings },
      `Created ${positionals[0]} (${settings.kind}, ${settings.imageSize}×${settings.imageSize}, latent ${settings.latentSize}).\nNext: vae-studio import ${positionals[0]} <folder>`,
    );
  },
};
