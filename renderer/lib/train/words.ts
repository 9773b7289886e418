// Plain words for what the Train screen shows: the backend that runs, and what each number means.
import type { TrainingState } from '../../../shared/services/training';

type Backend = NonNullable<TrainingState['backend']>;

/** "Your graphics card", "Your processor (all cores)"… — what runs, said for someone who is not a programmer. */
export function backendInWords(backend: Backend): string {
  const name = backend.name.toLowerCase();
  // ONNX Runtime says in its reason where it runs: "ONNX Runtime 1.x on the GPU (cuda)" or "… on the CPU, …".
  if (name === 'onnx') return /on the GPU/.test(backend.reason) ? 'Training on your graphics card with ONNX Runtime' : 'Training on your processor with ONNX Runtime (fast)';
  if (name.includes('gpu') || name.includes('cuda') || name.includes('directml') || name.includes('coreml')) return 'Training on your graphics card';
  if (name === 'tensorflow') return 'Training on your processor, with TensorFlow (fast)';
  if (name === 'wasm') return 'Training on your processor, in the built-in engine (no graphics card used)';
  if (name === 'cpu') return 'Training on your processor in plain JavaScript (slow: no faster engine could start)';
  return `Training with ${backend.name}`;
}

/** "about 140 images a second". */
export function speedInWords(imagesPerSecond: number | null): string | null {
  if (imagesPerSecond === null || !(imagesPerSecond > 0)) return null;
  const n = imagesPerSecond >= 10 ? Math.round(imagesPerSecond) : Number(imagesPerSecond.toFixed(1));
  return `about ${n} images a second`;
}

export const TERMS = {
  nats: 'How many "nats" (units of information) the model needs to describe one image. Lower is better.',
  beta: 'β, the KL weight: how strongly the model is pushed to keep its codes simple. Higher gives smoother variety, lower sharper copies.',
  elbo: 'Negative ELBO: reconstruction plus KL — the one number training lowers.',
  recon: 'Reconstruction: how far the model\'s copy of an image is from the original. Lower is better.',
  kl: 'KL: how much information the model packs into each image\'s code. It rises as the model learns to tell images apart.',
  temperature: 'Temperature: how far from the typical image a surprise may wander. 1 is typical; higher is wilder, lower is tamer.',
  component: 'A direction along which your images differ most (a principal component); σ is one typical step along it.',
  validation: 'Validation: images held out of training, so the numbers show how well the model does on pictures it has not seen.',
} as const;
