// The decoder as a standard TF.js layers model (model.json + one weights file), so a trained decoder can be
// used elsewhere (a web page, another app: tf.loadLayersModel) without this app: the layer description compiled
// to tf.layers (./description/tfjs-layers-compiler.ts), giving NHWC RGB (or premultiplied RGBA) in
// [-1, 1] (pixel = round((v + 1) · 127.5)).
// Our parameter shapes are already the layers' (dense kernel [in, out]; convolution [kh, kw, in, out];
// transposed convolution [kh, kw, out, in]), so weights are copied as they are.
import * as tf from '@tensorflow/tfjs';
import { vaeDecoder } from './description/layers';
import { tfjsLayersCompiler } from './description/tfjs-layers-compiler';
import type { VaeModel } from './model';

export const DECODER_WEIGHTS_FILE = 'decoder.weights.bin';

export interface DecoderModelFiles {
  /** The contents of model.json (TF.js "layers-model" format). */
  modelJson: Record<string, unknown>;
  /** The contents of DECODER_WEIGHTS_FILE. */
  weights: Uint8Array;
}

/** A layers model computing model's decoder mean, compiled from the same layer description. The caller disposes it. */
export function buildDecoderLayersModel(model: VaeModel): tf.LayersModel {
  const { arch, params } = model;
  const z = tf.input({ shape: [arch.latent], name: 'z' });
  const mean = vaeDecoder(tfjsLayersCompiler(params), arch, z);
  return tf.model({ inputs: z, outputs: mean, name: 'vae_decoder' });
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
