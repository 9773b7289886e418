// demo: the first thing a newcomer runs. Builds a project from the sample images shipped in resources/,
// trains it briefly, and writes samples, reconstructions and an interpolation next to it.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importFolder } from '../../engine/operations/import-folder';
import { interpolate, reconstruct, sample } from '../../engine/operations/generate';
import { train } from '../../engine/operations/train';
import { evaluate } from '../../engine/operations/evaluate';
import { openProject } from '../../engine/store';
import { projectDefaults } from '../../engine/operations/project-defaults';
import { resourcePath } from '../../engine/resources';
import { APP_VERSION } from '../../engine/version';
import { intFlag, parse, UsageError } from '../args';
import { backendFlag, backendOption } from './project';
import type { Command } from './types';

/**
 * The bundled images' own size and a new project's latent (512: the spatial network), so the demo starts from the
 * shipped 64×64 spatial model rather than random weights: ~17 s on two cores, held-out PSNR 30.2 dB, where the
 * classic network at latent 128 from its shipped model took 33 s for 23.7 dB (bench/reference/quality-levers.md,
 * "The demo").
 */
const DEMO = { imageSize: 64, latentSize: projectDefaults('generate').latentSize, epochs: 20, batch: 16, lr: 1e-3, seed: 7 } as const;

/** resources/sample-dataset, found from the source tree or the bundle in dist/. */
function sampleDataset(): string {
  const dir = resourcePath('sample-dataset');
  if (dir) return dir;
  throw new Error('The sample images (resources/sample-dataset) are missing from this installation');
}

export const demoCommand: Command = {
  name: 'demo',
  usage: 'vae-studio demo [--out vae-studio-demo] [--epochs 20]',
  summary: 'a sample project trained briefly on bundled images, with samples written',
  async run(argv, out, signal) {
    const { values } = parse(argv, { out: { type: 'string' }, epochs: { type: 'string' }, ...backendOption });
    const dir = resolve((values.out as string | undefined) ?? 'vae-studio-demo');
    const epochs = intFlag(values.epochs, 'epochs') ?? DEMO.epochs;
    mkdirSync(dir, { recursive: true });
    const project = join(dir, 'demo.vaestudio');
    if (existsSync(project)) throw new UsageError(`${project} already exists; remove it or pass --out <another folder>`);
    const images = sampleDataset();
    const files = readdirSync(images).filter((f) => f.endsWith('.png')).sort();
    const backend = backendFlag(values.backend);

    const store = openProject(project, { create: { kind: 'generate', imageSize: DEMO.imageSize, latentSize: DEMO.latentSize, appVersion: APP_VERSION } });
    try {
      out.say(`Importing ${files.length} sample images from ${images}`);
      await importFolder(store, images, { signal, onProgress: (e) => out.progress(e) });
      out.say(`Training for ${epochs} epochs (Ctrl-C stops and keeps the checkpoint)`);
      const trained = await train(
        store,
        { epochs, batch: DEMO.batch, lr: DEMO.lr, seed: DEMO.seed, backend },
        { signal, onProgress: (e) => out.progress(e), onNotice: (line) => out.say(line) },
      );
      const outputs = {
        samples: join(dir, 'samples.png'),
        reconstructions: join(dir, 'reconstructions.png'),
        interpolation: join(dir, 'interpolation.gif'),
      };
      await sample(store, { out: outputs.samples, count: 36, seed: 7, backend });
      await reconstruct(store, { images: files.slice(0, 8).map((f) => join(images, f)), out: outputs.reconstructions, backend });
      await interpolate(store, { a: join(images, files[0]), b: join(images, files[1]), out: outputs.interpolation, frames: 16, backend });
      const ev = await evaluate(store, { backend });
      out.result(
        { project, ...outputs, train: trained, eval: ev },
        [
          `Demo project: ${project}`,
          `Trained ${trained.step} steps on ${trained.backend.name} at ${trained.imagesPerSecond.toFixed(1)} images/s; held-out ${ev.negElboBitsPerDim.toFixed(3)} bits/dim, PSNR ${ev.psnr.toFixed(1)} dB.`,
          `Samples:          ${outputs.samples}`,
          `Reconstructions:  ${outputs.reconstructions}`,
          `Interpolation:    ${outputs.interpolation}`,
          `Keep training:    vae-studio train ${project} --epochs ${epochs * 5}`,
        ].join('\n'),
      );
    } finally {
      store.close();
    }
  },
};
