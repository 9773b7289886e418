// vae-studio eval: how well a checkpoint models the held-out images.
import { evaluate } from '../../engine/operations/evaluate';
import { intFlag, parse, requirePositionals } from '../args';
import { backendFlag, backendOption, withProject } from './project';
import type { Command } from './types';

export const evalCommand: Command = {
  name: 'eval',
  usage: 'vae-studio eval <project> [--checkpoint ID]',
  summary: 'held-out NLL, KL, negative ELBO (nats/image, bits/dim) and PSNR',
  async run(argv, out) {
    const { values, positionals } = parse(argv, { checkpoint: { type: 'string' }, ...backendOption });
    requirePositionals(positionals, ['<project>'], this.usage);
    const r = await withProject(positionals[0], (store) => evaluate(store, { checkpointId: intFlag(values.checkpoint, 'checkpoint'), backend: backendFlag(values.backend) }), true);
    out.result(
      { ...r },
      [
        `Checkpoint ${r.checkpointId} (step ${r.step}) on ${r.images} held-out images:`,
        `  reconstruction NLL  ${r.reconNats.toFixed(1)} nats/image  (${r.reconBitsPerDim.toFixed(3)} bits/dim)`,
        `  KL                  ${r.klNats.toFixed(1)} nats/image`,
        `  negative ELBO       ${r.negElboNats.toFixed(1)} nats/image  (${r.negElboBitsPerDim.toFixed(3)} bits/dim)`,
        `  PSNR                ${r.psnr.toFixed(2)} dB`,
      ].join('\n'),
    );
  },
};
