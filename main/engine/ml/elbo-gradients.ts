// Gradients of a negative ELBO, recon + klWeight·KL, for any of our models: the model says how to compute the
// two batch-mean terms, this differentiates them and reads them out.
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from './params';
import type { LossTerms } from './trainable';

/** Gradients by parameter name (the caller disposes them) and the batch's loss terms. */
export function elboGradients(
  params: Params,
  meanTerms: () => { recon: tf.Scalar; kl: tf.Scalar },
  klWeight: number,
): { grads: tf.NamedTensorMap; terms: LossTerms } {
  let recon: tf.Scalar | undefined;
  let kl: tf.Scalar | undefined;
  try {
    const { grads, value } = tf.variableGrads(() => {
      const t = meanTerms();
      recon = tf.keep(t.recon);
      kl = tf.keep(t.kl);
      return tf.add(t.recon, tf.mul(t.kl, klWeight)) as tf.Scalar;
    }, [...params.values()]);
    value.dispose();
    const byName: tf.NamedTensorMap = {};
    for (const [name, variable] of params) byName[name] = grads[variable.name];
    const r = recon!.dataSync()[0];
    const k = kl!.dataSync()[0];
    return { grads: byName, terms: { recon: r, kl: k, total: r + k } };
  } finally {
    tf.dispose([recon!, kl!].filter(Boolean));
  }
}
