// Gradient registrations the model relies on. tfjs-core's Node build ships no gradients; the tfjs bundle
// registers them. Comparisons have none there, yet a mask computed from the model's own outputs (the
// likelihood's underflow guard) sits on the tape: their true gradient is zero almost everywhere.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';

for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual']) {
  if (tf.getGradient(kernelName)) continue;
  tf.registerGradient({
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => {
      const [a, b] = saved;
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  });
}
