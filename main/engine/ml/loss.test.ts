import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { bitsPerDim, discretizedLogisticNll, gaussianKl, klWeight } from './loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));

/** −log P(k) for an 8-bit value k under a logistic(mean, s) discretized to 256 bins on [-1, 1], by hand. */
function handNll(k: number, mean: number, logS: number): number {
  const x = k / 127.5 - 1;
  const s = Math.exp(logS);
  const upper = k === 255 ? 1 : sigmoid((x + 1 / 255 - mean) / s);
  const lower = k === 0 ? 0 : sigmoid((x - 1 / 255 - mean) / s);
  return -Math.log(upper - lower);
}

describe('discretized logistic likelihood', () => {
  it('matches a hand computation per pixel, including both edge bins', () => {
    const ks = [0, 17, 128, 200, 255, 3];
    const means = [-0.9, -0.5, 0.1, 0.6, 0.95, 0.0];
    const logS = [-2, -3, -1.5];
    const x = tf.tensor4d(ks.map((k) => k / 127.5 - 1), [2, 1, 1, 3]);
    const mean = tf.tensor4d(means, [2, 1, 1, 3]);
    const nll = discretizedLogisticNll(x, mean, tf.tensor1d(logS)).arraySync();
    const expected = [0, 1].map((b) => [0, 1, 2].reduce((sum, c) => sum + handNll(ks[b * 3 + c], means[b * 3 + c], logS[c]), 0));
    expect(nll[0]).toBeCloseTo(expected[0], 3);
    expect(nll[1]).toBeCloseTo(expected[1], 3);
  });

  it('never assigns more than probability 1 and sums to 1 over all 256 levels', () => {
    const levels = Array.from({ length: 256 }, (_, k) => k / 127.5 - 1);
    const x = tf.tensor4d(levels, [256, 1, 1, 1]);
    const mean = tf.fill([256, 1, 1, 1], 0.3) as tf.Tensor4D;
    const nll = discretizedLogisticNll(x, mean, tf.tensor1d([-2.5])).arraySync();
    const total = nll.reduce((s, v) => s + Math.exp(-v), 0);
    expect(Math.min(...nll)).toBeGreaterThan(0);
    expect(total).toBeCloseTo(1, 3);
  });

  it('stays finite when the model is very confident and wrong', () => {
    const x = tf.tensor4d([1, -1, 0.5], [1, 1, 1, 3]);
    const mean = tf.tensor4d([-1, 1, -0.5], [1, 1, 1, 3]);
    const [v] = discretizedLogisticNll(x, mean, tf.tensor1d([-7, -7, -7])).arraySync();
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(100);
  });
});

describe('KL and reporting', () => {
  it('KL of a Gaussian against the unit prior matches the closed form by hand', () => {
    const mu = [0.5, -1, 0, 2];
    const logvar = [0, Math.log(0.25), Math.log(4), -1];
    const kl = gaussianKl(tf.tensor2d(mu, [2, 2]), tf.tensor2d(logvar, [2, 2])).arraySync();
    const hand = (m: number, lv: number) => 0.5 * (Math.exp(lv) + m * m - 1 - lv);
    expect(kl[0]).toBeCloseTo(hand(0.5, 0) + hand(-1, Math.log(0.25)), 5);
    expect(kl[1]).toBeCloseTo(hand(0, Math.log(4)) + hand(2, -1), 5);
  });

  it('KL is zero exactly at the prior', () => {
    const kl = gaussianKl(tf.zeros([1, 8]) as tf.Tensor2D, tf.zeros([1, 8]) as tf.Tensor2D).arraySync();
    expect(kl[0]).toBeCloseTo(0, 6);
  });

  it('bits per dimension and KL warm-up', () => {
    expect(bitsPerDim(64 * 64 * 3 * Math.LN2 * 8, 64 * 64 * 3)).toBeCloseTo(8, 10);
    expect(klWeight(1, 0, 100)).toBe(0);
    expect(klWeight(2, 50, 100)).toBe(1);
    expect(klWeight(2, 500, 100)).toBe(2);
    expect(klWeight(0.5, 3, 0)).toBe(0.5);
  });
});
