// Pretrained image features for the perceptual set distances. npm `nsfwjs` ships Keras MobileNetV2 and
// InceptionV3 weights inside its package, as UMD scripts that export the model JSON and base64 weight shards;
// this loads them straight from node_modules through our own IOHandler (no network, no nsfwjs runtime) and cuts
// each network at its last convolutional feature map, averaged over space: the pooled penultimate features
// (the networks' own heads average-pool that map, then classify; the heads were fine-tuned, the trunks are the
// ImageNet-style feature extractors).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const FEATURE_NETS = {
  mobilenet_v2: { folder: 'mobilenet_v2', inputSize: 224 },
  inception_v3: { folder: 'inception_v3', inputSize: 299 },
} as const;
export type FeatureNetName = keyof typeof FEATURE_NETS;

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** The folder that holds nsfwjs's model scripts (its package exports do not list them, so resolve by path). */
function modelsFolder(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('nsfwjs');
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'dist', 'models'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`nsfwjs's models folder was not found above ${entry}`);
    dir = up;
  }
  return join(dir, 'dist', 'models');
}

/** An IOHandler that reads one of nsfwjs's bundled models from disk. */
function bundledModelHandler(name: FeatureNetName): tf.io.IOHandler {
  return {
    load: async () => {
      const require = createRequire(import.meta.url);
      const folder = join(modelsFolder(), FEATURE_NETS[name].folder);
      const model = require(join(folder, 'model.min.js')) as ModelJson;
      const buffers: Uint8Array[] = [];
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      for (const group of model.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const path of group.paths) buffers.push(Buffer.from(require(join(folder, `${path}.min.js`)) as string, 'base64'));
      }
      const weightData = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
      let offset = 0;
      for (const b of buffers) {
        weightData.set(b, offset);
        offset += b.byteLength;
      }
      return { modelTopology: model.modelTopology, weightSpecs, weightData: weightData.buffer };
    },
  };
}

export interface FeatureNet {
  name: FeatureNetName;
  dims: number;
  /** Pooled features of RGB images (size×size×3 bytes each), one Float32Array per image. */
  features(images: Uint8Array[], size: number, onProgress?: (done: number) => void): Promise<Float32Array[]>;
  dispose(): void;
}

export async function loadFeatureNet(name: FeatureNetName): Promise<FeatureNet> {
  const full = await tf.loadLayersModel(bundledModelHandler(name));
  const pooling = [...full.layers].reverse().find((l) => /^(Global)?AveragePooling2D$/.test(l.getClassName()));
  if (!pooling) throw new Error(`${name} has no average pooling layer to take features from`);
  const featureMap = pooling.input as tf.SymbolicTensor;
  const net = tf.model({ inputs: full.inputs, outputs: featureMap });
  const inputSize = FEATURE_NETS[name].inputSize;
  const dims = featureMap.shape[3] as number;
  const batch = 16;
  return {
    name,
    dims,
    async features(images, size, onProgress) {
      const out: Float32Array[] = [];
      for (let start = 0; start < images.length; start += batch) {
        const chunk = images.slice(start, start + batch);
        const packed = new Uint8Array(chunk.length * size * size * 3);
        chunk.forEach((img, i) => packed.set(img, i * size * size * 3));
        // As nsfwjs feeds these networks: RGB scaled to [0, 1], resized bilinearly to the input size.
        const pooled = tf.tidy(() => {
          const x = tf.tensor4d(packed, [chunk.length, size, size, 3], 'int32').toFloat().div(255);
          const map = net.predict(tf.image.resizeBilinear(x as tf.Tensor4D, [inputSize, inputSize], true)) as tf.Tensor4D;
          return map.mean([1, 2]) as tf.Tensor2D;
        });
        const values = await pooled.data();
        pooled.dispose();
        for (let i = 0; i < chunk.length; i++) out.push(Float32Array.from(values.subarray(i * dims, (i + 1) * dims)));
        onProgress?.(out.length);
      }
      return out;
    },
    dispose: () => full.dispose(),
  };
}
