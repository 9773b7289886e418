// A model worker: holds a replica of the model. For training it receives the current weights and a slice of the
// batch and returns the slice's gradients (the trainer owns the optimizer); for denoising, tiles to denoise.
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../backends';
import { createTrainable } from '../model-factory';
import { DenoiserModel } from '../denoiser/model';
import type { TrainableModel } from '../trainable';
import * as tf from '@tensorflow/tfjs-core';
import { assignFlat, flatten } from './flat-params';
import type { FromWorker, ToWorker } from './protocol';

let model: TrainableModel | null = null;

function reply(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort!.on('message', async (message: ToWorker) => {
  try {
    if (message.type === 'init') {
      await initBackend(message.backend);
      model = createTrainable(message.spec, 0);
      reply({ type: 'ready' });
    } else if (message.type === 'step') {
      assignFlat(model!.params, message.weights);
      const { grads, terms } = model!.batchGradients(message.batch, message.klWeight);
      const flat = flatten(model!.params, (name) => grads[name]);
      tf.dispose(Object.values(grads));
      reply({ type: 'grads', grads: flat, terms }, [flat.buffer as ArrayBuffer]);
    } else if (message.type === 'load') {
      assignFlat(model!.params, message.weights);
      reply({ type: 'loaded' });
    } else if (message.type === 'denoise') {
      if (!(model instanceof DenoiserModel)) throw new Error('This worker holds no denoiser');
      const image = model.denoise(message.image, message.width, message.height);
      reply({ type: 'denoised', image }, [image.buffer as ArrayBuffer]);
    } else if (message.type === 'close') {
      model?.dispose();
      parentPort!.close();
    }
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
