// Copies a denoise project's newest checkpoint weights to resources/denoiser (the weights every new denoise
// project starts from). Refuses a project whose model is not the shipped architecture.
// Usage: npx tsx scripts/export-denoiser.ts <project.vaestudio>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DENOISER } from '../main/engine/ml/denoiser/architecture';
import { DenoiserModel } from '../main/engine/ml/denoiser/model';
import { PRETRAINED_FILE } from '../main/engine/ml/denoiser/pretrained';
import { openProject } from '../main/engine/store';

const project = process.argv[2];
if (!project) throw new Error('usage: export-denoiser <project.vaestudio>');
const store = openProject(project, { readonly: true });
try {
  if (store.getSettings().kind !== 'denoise') throw new Error(`${project} is not a denoise project`);
  const checkpoint = store.checkpoints.latest();
  if (!checkpoint) throw new Error(`${project} has no checkpoint`);
  const model = DenoiserModel.create(DEFAULT_DENOISER, 0);
  model.load(checkpoint.weights); // throws if the architecture differs
  model.dispose();
  const out = join(import.meta.dirname, '..', 'resources', 'denoiser', PRETRAINED_FILE);
  writeFileSync(out, checkpoint.weights);
  console.log(`Checkpoint ${checkpoint.id} (run ${checkpoint.runId}, step ${checkpoint.step}) → ${out}`);
} finally {
  store.close();
}
