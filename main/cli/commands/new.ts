import { PROJECT_KINDS, openProject } from '../../engine/store';
import { APP_VERSION } from '../version';
import { choiceFlag, intFlag, parse, requirePositionals } from '../args';
import type { Command } from './types';

export const newCommand: Command = {
  name: 'new',
  usage: 'vae-studio new <project> [--size 64] [--latent 128] [--kind generate|denoise]',
  summary: 'create a project file',
  async run(argv, out) {
    const { values, positionals } = parse(argv, { size: { type: 'string' }, latent: { type: 'string' }, kind: { type: 'string' } });
    requirePositionals(positionals, ['<project>'], this.usage);
    const settings = {
      kind: choiceFlag(values.kind, 'kind', PROJECT_KINDS) ?? 'generate',
      imageSize: intFlag(values.size, 'size') ?? 64,
      latentSize: intFlag(values.latent, 'latent') ?? 128,
      appVersion: APP_VERSION,
    };
    const store = openProject(positionals[0], { create: settings });
    store.close();
    out.result(
      { project: positionals[0], ...settings },
      `Created ${positionals[0]} (${settings.kind}, ${settings.imageSize}×${settings.imageSize}, latent ${settings.latentSize}).\nNext: vae-studio import ${positionals[0]} <folder>`,
    );
  },
};
