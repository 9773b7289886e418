// Which sampler makes the best samples from one trained generator: the fitted mixture prior with K components
// at temperature T (and N(0, I)), each measured against the held-out images on pretrained features (FID, KID,
// classifier two-sample test) with a sheet to look at. Training is left to `npm run bench:quality`, whose
// projects this reads (bench/out/quality/projects/); the model is loaded once and only the sampler changes.
// Usage: npx tsx bench/quality/sampler-study.ts --project bench/out/quality/projects/emoji-old-1500steps.vaestudio
//          [--components 10,30] [--temperatures 1,0.9,0.8] [--samples 300] [--seed 0]
//        A latent wider than the mixture's 128 dimensions (the spatial network) is fitted in its principal
//        directions as the product does (`--dims 128,256` tries other counts); `--residual-scales 1,0.5,0,nearest`
//        scales the isotropic spread drawn off them, or takes what is there from the nearest fitted latent (the
//        product's choice).
//        For a project of ./small-folder.ts, `--unseen <dataset> [--images 200] [--reference 500]` (the numbers it
//        was made with) measures against that dataset's unseen reference images instead of the project's own
//        held-out ones.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../main/engine/ml/backends';
import { splitImages } from '../../main/engine/ml/batches';
import { fitGaussianMixture, sampleGaussianMixture } from '../../main/engine/ml/prior/gmm';
import { latentDetail, MIXTURE_MAX_DIMS, principalSubspace } from '../../main/engine/ml/prior/subspace';
import { Rng } from '../../main/engine/ml/rng';
import { posteriorMeans } from '../../main/engine/operations/fit-prior';
import { loadModel } from '../../main/engine/operations/model-io';
import { openProject } from '../../main/engine/store';
import { featureMatrix } from './feature-matrix';
import { setDistances } from './measure-samples';
import { meanDistanceToNearest } from './novelty';
import { loadFeatureNet } from './pretrained-features';
import { realReference, unseenReference } from './real-reference';
import { writeSheet } from './sheets';

const { values: args } = parseArgs({
  options: {
    project: { type: 'string' },
    components: { type: 'string', default: '10,30' },
    temperatures: { type: 'string', default: '1,0.9,0.8' },
    'residual-scales': { type: 'string', default: '1' },
    dims: { type: 'string', default: String(MIXTURE_MAX_DIMS) },
    samples: { type: 'string', default: '300' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench/out/quality/samplers' },
    unseen: { type: 'string' },
    images: { type: 'string', default: '200' },
    reference: { type: 'string', default: '500' },
  },
});
if (!args.project) throw new Error('--project <a trained generator project> is required');
const samples = Number(args.samples);
const seed = Number(args.seed);
const out = resolve(args.out!);
const numbers = (s: string) => s.split(',').map(Number);

const store = openProject(resolve(args.project));
try {
  const real = args.unseen
    ? await unseenReference(args.unseen, { sheetsFolder: out, datasetsFolder: resolve('bench/out/quality/datasets'), trainCount: Number(args.images), refCount: Number(args.reference), floorImages: samples, seed, net: 'mobilenet_v2' })
    : await realReference(store, { sheetsFolder: out, floorImages: samples, seed, net: 'mobilenet_v2' });
  await initBackend('auto');
  const { model, checkpoint } = loadModel(store);
  const { size, latent } = model.arch;
  // The posterior means the product fits its prior to, once.
  const trainPixels = store.images.loadPixels('train');
  const { means, n } = posteriorMeans(model, trainPixels, seed);
  const draws: { name: string; images: Uint8Array[] }[] = [];
  const draw = (name: string, z: Float32Array) => draws.push({ name, images: splitImages(model.decode(z), size).map((img) => Uint8Array.from(img)) });
  draw('N(0, I)', new Rng(seed).normals(samples * latent));
  const wide = latent > MIXTURE_MAX_DIMS;
  for (const dims of wide ? numbers(args.dims!) : [latent]) {
    const reduced = wide ? principalSubspace(means, n, latent, dims) : null;
    if (reduced) console.log(`${dims} principal directions hold ${(100 * reduced.explained).toFixed(1)} % of the posterior means' variance; residual std ${reduced.subspace.residualStd.toFixed(3)}`);
    // The nearest latents' detail depends on the directions only: once per count of them, not per sampler.
    const detail = reduced && args['residual-scales']!.split(',').includes('nearest') ? latentDetail(means, n, reduced.subspace, reduced.coordinates) : undefined;
    for (const k of numbers(args.components!)) {
      const t0 = performance.now();
      const prior = fitGaussianMixture(reduced ? reduced.coordinates : means, n, dims, { components: k, iterations: 15, seed });
      const fitSeconds = (performance.now() - t0) / 1000;
      for (const t of numbers(args.temperatures!)) {
        for (const r of reduced ? args['residual-scales']!.split(',') : ['1']) {
          const subspace = reduced && (r === 'nearest'
            ? { ...reduced.subspace, residualStd: 0, detail }
            : { ...reduced.subspace, residualStd: reduced.subspace.residualStd * Number(r) });
          const label = `mixture K=${k} T=${t}${reduced ? ` in ${dims} dims, residual ${r === 'nearest' ? 'of the nearest latent' : `×${r}`}` : ''} (fit ${fitSeconds.toFixed(1)} s)`;
          draw(label, sampleGaussianMixture(subspace ? { ...prior, subspace } : prior, samples, seed, t));
        }
      }
    }
  }
  model.dispose();
  await initBackend('wasm');
  const net = await loadFeatureNet('mobilenet_v2');
  console.log(`${args.project}: checkpoint at step ${checkpoint.step}; ${samples} samples per sampler against ${real.heldOut.n} held-out images (MobileNetV2 features)`);
  console.log(`floor (real training images): FID ${real.floor.fid.toFixed(1)}  KID×1e3 ${(real.floor.kid * 1e3).toFixed(1)}  C2ST ${real.floor.c2st.toFixed(3)}`);
  for (const { name, images } of draws) {
    const d = setDistances(real.heldOut, featureMatrix(await net.features(images, size)), seed);
    const file = join(out, `${name.replace(/[^A-Za-z0-9=.]+/g, '-')}.png`);
    await writeSheet(file, images.slice(0, 64), size);
    console.log(`${name.padEnd(36)} FID ${d.fid.toFixed(1).padStart(6)}  KID×1e3 ${(d.kid * 1e3).toFixed(1).padStart(6)} ± ${(d.kidStd * 1e3).toFixed(1)}  C2ST ${d.c2st.toFixed(3)}  to nearest training image ${meanDistanceToNearest(images, trainPixels).toFixed(1)}  ${file}`);
  }
  net.dispose();
} finally {
  store.close();
}
