// The decoder as a standard TF.js layers model (model.json + one weights file), so a trained decoder can be
// used elsewhere (a web page, another app: tf.loadLayersModel) without this app. Same computation as vae.decode:
//   dense → LeakyReLU → reshape to 4×4×C → [conv2dTranspose 4×4/2 'same' → LeakyReLU] × (L−1)
//   → conv2dTranspose → tanh, giving NHWC RGB (or premultiplied RGBA) in [-1, 1] (pixel = round((v + 1) · 127.5)).
// Our parameter shapes are already the layers' (dense kernel [in, out]; transposed-conv kernel
// [kh, kw, out, in]), so weights are copied as they are.
import * as tf from '@tensorflow/tfjs';
import { KERNEL, LEAK, STRIDE } from './architecture';
import type { VaeModel } from './model';

export const DECODER_WEIGHTS_FILE = 'decoder.weights.bin';

export interface DecoderModelFiles {
  /** The contents of model.json (TF.js "layers-model" format). */
  modelJson: Record<string, unknown>;
  /** The contents of DECODER_WEIGHTS_FILE. */
  weights: Uint8Array;
}

/** A layers model computing model's decoder mean. The caller disposes it. */
export function buildDecoderLayersModel(model: VaeModel): tf.Sequential {
  const { arch, params } = model;
  const weight = (name: string) => {
    const v = params.get(name);
    if (!v) throw new Error(`Missing model parameter ${name}`);
    return v;
  };
  const decoder = tf.sequential({ name: 'vae_decoder' });
  const layers = arch.channels.length;
  const dense = tf.layers.dense({ inputShape: [arch.latent], units: arch.bottleneckUnits, name: 'dense' });
  decoder.add(dense);
  decoder.add(tf.layers.leakyReLU({ alpha: LEAK, name: 'dense_leaky_relu' }));
  decoder.add(tf.layers.reshape({ targetShape: [arch.bottleneckSide, arch.bottleneckSide, arch.channels[layers - 1]], name: 'to_feature_map' }));
  const convs: tf.layers.Layer[] = [];
  for (let i = 0; i < layers; i++) {
    const last = i === layers - 1;
    const [, , outChannels] = weight(`dec${i}.w`).shape;
    const conv = tf.layers.conv2dTranspose({
      filters: outChannels,
      kernelSize: KERNEL,
      strides: STRIDE,
      padding: 'same',
      activation: last ? 'tanh' : 'linear',
      name: `deconv${i}`,
    });
    decoder.add(conv);
    convs.push(conv);
    if (!last) decoder.add(tf.layers.leakyReLU({ alpha: LEAK, name: `deconv${i}_leaky_relu` }));
  }
  dense.setWeights([weight('dec.dense.w'), weight('dec.dense.b')]);
  convs.forEach((conv, i) => conv.setWeights([weight(`dec${i}.w`), weight(`dec${i}.b`)]));
  return decoder;
}

/** model.json and weights of the decoder, with `metadata` kept in model.json's userDefinedMetadata. */
export async function decoderModelFiles(model: VaeModel, metadata: Record<string, unknown> = {}): Promise<DecoderModelFiles> {
  const decoder = buildDecoderLayersModel(model);
  let artifacts: tf.io.ModelArtifacts | undefined;
  try {
    await decoder.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  } finally {
    decoder.dispose();
  }
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('TF.js did not produce the decoder model (no topology or weights)');
  }
  const data = artifacts.weightData;
  const weights = new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [DECODER_WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      userDefinedMetadata: {
        ...metadata,
        latentSize: model.arch.latent,
        imageSize: model.arch.size,
        imageChannels: model.arch.imageChannels,
        output:
          model.arch.imageChannels === 4
            ? 'NHWC RGBA in [-1, 1], colour premultiplied by alpha; 8-bit pixel = round((value + 1) * 127.5), then colour · 255 / alpha'
            : 'NHWC RGB in [-1, 1]; 8-bit pixel = round((value + 1) * 127.5)',
      },
    },
    weights,
  };
}
