// Copies a denoise project's best checkpoint weights (by held-out PSNR; else the newest) to resources/denoiser, as the shipped weights of the
// network they fit (fast: what every new denoise project starts from; best: what --quality best runs). Refuses
// weights of any other architecture.
// Usage: npx tsx scripts/export-denoiser.ts <project.vaestudio>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DenoiserModel } from '../main/engine/ml/denoiser/model';
import { SHIPPED_DENOISERS } from '../main/engine/ml/denoiser/pretrained';
import { denoiserScores } from '../main/engine/operations/denoiser-session';
import { openProject } from '../main/engine/store';

const project = process.argv[2];
if (!project) throw new Error('usage: export-denoiser <project.vaestudio>');
const store = openProject(project, { readonly: true });
try {
  if (store.getSettings().kind !== 'denoise') throw new Error(`${project} is not a denoise project`);
  // The checkpoint that denoised held-out crops best, as the product chooses (else the newest).
  const scores = denoiserScores(store);
  const checkpoint = scores ? store.checkpoints.get(scores.best.id) : store.checkpoints.latest();
  if (!checkpoint) throw new Error(`${project} has no checkpoint`);
  const fits = (config: (typeof SHIPPED_DENOISERS)[keyof typeof SHIPPED_DENOISERS]['config']) => {
    const model = DenoiserModel.create(config, 0);
    try {
      model.load(checkpoint.weights); // throws if the architecture differs
      return true;
    } catch {
      return false;
    } finally {
      model.dispose();
    }
  };
  const shipped = Object.values(SHIPPED_DENOISERS).find((s) => fits(s.config));
  if (!shipped) throw new Error(`${project}'s weights fit none of the shipped denoisers' architectures`);
  const out = join(import.meta.dirname, '..', 'resources', 'denoiser', shipped.file);
  writeFileSync(out, checkpoint.weights);
  console.log(`Checkpoint ${checkpoint.id} (run ${checkpoint.runId}, step ${checkpoint.step}${scores ? `, held-out ${scores.best.psnr.toFixed(2)} dB` : ''}) → ${out}`);
} finally {
  store.close();
}
