// A worker thread of the ONNX trainer: one single-threaded ONNX Runtime session for its part of each batch, and
// its share of the Adam update, both on the shared buffers (see ./trainer.ts for the protocol's order).
import { parentPort } from 'node:worker_threads';
import { GradientSession } from './gradient-session';
import { adamRange } from './shared-state';
import type { FromOnnxWorker, ToOnnxWorker } from './worker-protocol';

let session: GradientSession | null = null;
let views: { params: Float32Array; m: Float32Array; v: Float32Array; grads: Float32Array[] } | null = null;

function reply(message: FromOnnxWorker): void {
  parentPort!.postMessage(message);
}

parentPort!.on('message', async (message: ToOnnxWorker) => {
  try {
    if (message.type === 'init') {
      const b = message.buffers;
      views = { params: new Float32Array(b.params), m: new Float32Array(b.m), v: new Float32Array(b.v), grads: b.grads.map((g) => new Float32Array(g)) };
      session = await GradientSession.create(message.spec, message.exampleDims, message.n, b, message.slot);
      reply({ type: 'ready' });
    } else if (message.type === 'grads') {
      const terms = await session!.run(message.arrays, message.klWeight);
      reply({ type: 'terms', ...terms });
    } else if (message.type === 'adam') {
      adamRange(views!, message.weights, message.from, message.to, message.hyper);
      reply({ type: 'updated' });
    } else if (message.type === 'close') {
      // Release the native session before the thread ends; the trainer waits for this reply and for the exit.
      await session?.release();
      session = null;
      reply({ type: 'closed' });
      parentPort!.close();
    }
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
