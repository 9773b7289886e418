// A gradient worker: holds a replica of the model, receives the current weights and a slice of the batch,
// and returns the slice's gradients. The trainer owns the optimizer; workers only compute.
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../backends';
import { VaeModel } from '../model';
import * as tf from '@tensorflow/tfjs-core';
import { assignFlat, flatten } from './flat-params';
import type { FromWorker, ToWorker } from './protocol';

let model: VaeModel | null = null;

function reply(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort!.on('message', async (message: ToWorker) => {
  try {
    if (message.type === 'init') {
      await initBackend(message.backend);
      model = VaeModel.create(message.config, 0);
      reply({ type: 'ready' });
    } else if (message.type === 'step') {
      assignFlat(model!.params, message.weights);
      const { grads, terms } = model!.gradients(message.x, message.eps, message.klWeight);
      const flat = flatten(model!.params, (name) => grads[name]);
      tf.dispose(Object.values(grads));
      reply({ type: 'grads', grads: flat, terms }, [flat.buffer as ArrayBuffer]);
    } else if (message.type === 'close') {
      model?.dispose();
      parentPort!.close();
    }
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
