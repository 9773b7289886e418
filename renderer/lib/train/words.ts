// Plain words for what the Train screen shows: the backend that runs, how far each choice of time goes, and what
// each number means.
import type { TrainingEstimate, TrainingState } from '../../../shared/services/training';
import { OPEN_ENDED_EPOCHS, PRESET_MINUTES, type TimePreset } from '../../../shared/training-config';

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

/** The three choices as the person reads them. */
export const PRESETS: Record<TimePreset, { name: string; promise: string }> = {
  quick: { name: 'Quick', promise: `about ${PRESET_MINUTES.quick} min` },
  good: { name: 'Good', promise: `about ${PRESET_MINUTES.good} min` },
  best: { name: 'Best', promise: 'as long as it takes' },
};

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** "40 s", "12 min", "1 h 05 min": how long, rounded as a person would say it. */
export function roughDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "about 40 passes", "about 1.5 passes", "about a third of one pass". */
function passesInWords(passes: number): string {
  if (passes >= 9.5) return `about ${count(passes)} passes`;
  if (passes >= 1.05) return `about ${Number(passes.toFixed(1))} passes`;
  if (passes >= 0.95) return 'about one pass';
  return `about ${Math.max(1, Math.round(passes * 100))}% of one pass`;
}

/** "your 3,000 images", or for a denoiser "the 48 crops of your 6 photos". */
function datasetInWords(e: TrainingEstimate): string {
  return e.examples === e.images ? `your ${count(e.images)} images` : `the ${count(e.examples)} crops of your ${count(e.images)} photos`;
}

/**
 * How far one choice goes on this machine, e.g. "≈ 4,800 steps, about 40 passes over your 3,000 images", or for best
 * "≈ 2,000 steps, about 22 passes over your 3,000 images: about 40 min".
 */
export function estimateInWords(preset: TimePreset, e: TrainingEstimate): string {
  const { steps, seconds, endsRun } = e.presets[preset];
  if (steps === 0) return 'Nothing left to train: the run has reached its last epoch.';
  if (steps === null) return `How far ${roughDuration(seconds ?? 0)} goes shows once training runs (this machine's speed could not be measured now).`;
  const how = `≈ ${count(steps)} steps, ${passesInWords((steps * e.batch) / Math.max(1, e.examples))} over ${datasetInWords(e)}`;
  if (preset === 'best') return seconds === null ? `${how}; how long shows once training runs.` : `${how}: about ${roughDuration(seconds)}.`;
  return endsRun && seconds !== null ? `${how}: the rest of the run, in about ${roughDuration(seconds)}.` : `${how}.`;
}

/** Where the speed behind the estimates was measured. */
export function speedSourceInWords(e: TrainingEstimate): string | null {
  const from = {
    running: 'at the speed training runs now',
    project: 'at the speed this project trained at',
    machine: 'at the speed this machine last trained images of this size at',
    measured: 'from a few training steps timed just now',
  } as const;
  const speed = speedInWords(e.examplesPerSecond);
  return e.speedFrom && speed ? `On this machine, ${from[e.speedFrom]}: ${speed}.` : null;
}

/** An epoch or step count out of a total, or the count alone when the run is measured in time (open-ended). */
export function outOf(done: number, total: number, epochs: number): string {
  return epochs >= OPEN_ENDED_EPOCHS || !total ? String(done) : `${done} / ${total}`;
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
