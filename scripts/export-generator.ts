// Copies a generate project's newest checkpoint's parameters to resources/generator, as the shipped starting point for
// new projects of its shape (main/engine/ml/pretrained-generator.ts). Refuses a project of any other shape.
// Usage: npx tsx scripts/export-generator.ts <project.vaestudio>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeArchitecture } from '../main/engine/ml/architecture';
import { initBackend } from '../main/engine/ml/backends';
import { VaeModel } from '../main/engine/ml/model';
import { shippedGeneratorFor } from '../main/engine/ml/pretrained-generator';
import { modelConfig } from '../main/engine/operations/model-io';
import { openProject } from '../main/engine/store';

const project = process.argv[2];
if (!project) throw new Error('usage: export-generator <project.vaestudio>');
await initBackend('wasm');
const store = openProject(project, { readonly: true });
try {
  if (store.getSettings().kind !== 'generate') throw new Error(`${project} is not a generate project`);
  const checkpoint = store.checkpoints.latest();
  if (!checkpoint) throw new Error(`${project} has no checkpoint`);
  const arch = describeArchitecture(modelConfig(store, checkpoint));
  const shipped = shippedGeneratorFor(arch);
  if (!shipped) throw new Error(`${project} (${arch.size}×${arch.size}, latent ${arch.latent}, ${arch.network}, ${arch.imageChannels} channels) matches no shipped starting point`);
  // The parameters alone: a fitted prior belongs to what a project learned, and each project fits its own.
  const model = VaeModel.create(arch, 0);
  model.load(checkpoint.weights);
  model.prior = null;
  const out = join(import.meta.dirname, '..', 'resources', 'generator', shipped.file);
  writeFileSync(out, model.serialize());
  model.dispose();
  console.log(`Checkpoint ${checkpoint.id} (run ${checkpoint.runId}, step ${checkpoint.step}) → ${out}`);
} finally {
  store.close();
}
