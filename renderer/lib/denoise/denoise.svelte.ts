// Denoise screen state: one photo with a before/after view, a folder batch with its report, and a generator
// project's encode→decode on one image.
import { ConnectedModel } from '../shell/connected';
import type { BatchReport, DenoiseQualityChoice, NoiseLevel } from '../../../shared/services/denoise';
import { newJobId } from '../jobs/job-id';

export type ConflictPolicy = 'rename' | 'skip' | 'overwrite';

/** A photo's noise in words: "σ 24.8 (estimated)", "σ 30 (set; estimated 24.8)". */
export function noiseText(noise: Pick<NoiseLevel, 'estimatedSigma' | 'sigma'> & { sigmaFrom?: NoiseLevel['sigmaFrom'] }): string {
  const est = noise.estimatedSigma === null ? 'too small to estimate' : `estimated ${noise.estimatedSigma.toFixed(1)}`;
  const set = noise.sigmaFrom ? noise.sigmaFrom === 'user' : noise.sigma !== noise.estimatedSigma;
  if (set && noise.sigma !== null) return `σ ${noise.sigma} (set; ${est})`;
  return noise.estimatedSigma === null ? est : `σ ${noise.estimatedSigma.toFixed(1)} (estimated)`;
}

export class DenoiseModel extends ConnectedModel {
  input = $state('');
  strength = $state(1);
  /** Each photo's noise estimated from the photo (default), or one σ the user sets for all. */
  estimateNoise = $state(true);
  /** The σ (0..255) used when not estimating. */
  sigma = $state(25);
  /** The fast network, or the best quality: the larger network (or, once fine-tuned, eight orientations averaged). */
  quality = $state<DenoiseQualityChoice>('fast');
  imageJobId = $state<string | null>(null);
  result = $state<{
    before: string;
    after: string;
    output: string;
    width: number;
    height: number;
    seconds: number;
    strength: number;
    noise: NoiseLevel | null;
  } | null>(null);
  /**
   * Strength shown while comparing, up to the one the result was made with: the "after" image drawn with opacity
   * preview/strength over the original is exactly original + preview·(denoised − original), so strength can be
   * judged live and then applied with one more run.
   */
  previewStrength = $state(1);

  batchInput = $state('');
  batchOutput = $state('');
  onConflict = $state<ConflictPolicy>('rename');
  batchJobId = $state<string | null>(null);
  report = $state.raw<BatchReport | null>(null);
  savedReport = $state<{ path: string; media: string | null } | null>(null);

  generator = $state<{ before: string; after: string } | null>(null);

  /** Another project opened: results shown belong to the previous one. */
  reset(): void {
    this.result = null;
    this.report = null;
    this.savedReport = null;
    this.generator = null;
  }

  /** What the calls send about noise (nothing: estimate each photo; or the σ set) and the quality. */
  private get noiseChoice(): { sigma?: number; quality: DenoiseQualityChoice } {
    return this.estimateNoise ? { quality: this.quality } : { sigma: this.sigma, quality: this.quality };
  }

  async runImage(): Promise<void> {
    const jobId = newJobId('denoise');
    this.imageJobId = jobId;
    const strength = this.strength;
    const result = await this.attempt(() => this.api.denoise.image({ input: this.input.trim(), strength, ...this.noiseChoice, jobId }));
    this.imageJobId = null;
    if (result) {
      this.result = { ...result, strength };
      this.previewStrength = strength;
    }
  }

  /** Opacity of the "after" image that shows `previewStrength`. */
  get previewOpacity(): number {
    const made = this.result?.strength ?? 1;
    return made > 0 ? Math.min(1, this.previewStrength / made) : 1;
  }

  /** Writes the photo again at the previewed strength. */
  async applyPreviewStrength(): Promise<void> {
    this.strength = this.previewStrength;
    await this.runImage();
  }

  async runBatch(): Promise<void> {
    const jobId = newJobId('batch');
    this.batchJobId = jobId;
    this.report = null;
    this.savedReport = null;
    const input = this.batchInput.trim();
    const output = this.batchOutput.trim();
    const strength = this.strength;
    const report = await this.attempt(() => this.api.denoise.batch({ input, output, onConflict: this.onConflict, strength, ...this.noiseChoice, jobId }));
    this.batchJobId = null;
    if (report) this.report = report;
  }

  /** A finished batch, once more into a new folder beside the first (e.g. at another strength). */
  async runAgain(): Promise<void> {
    const into = this.report?.alreadyDone?.runAgainInto;
    if (!into) return;
    this.batchOutput = into;
    await this.runBatch();
  }

  async cancelBatch(): Promise<void> {
    if (this.batchJobId) await this.attempt(() => this.api.jobs.cancel({ jobId: this.batchJobId! }));
  }

  async saveCsv(): Promise<void> {
    if (!this.report) return;
    const batchId = this.report.batchId;
    this.savedReport = (await this.attempt(() => this.api.denoise.saveReport({ batchId }))) ?? null;
  }

  async viaGenerator(source: { image: string } | { imageId: number }): Promise<void> {
    this.generator = (await this.attempt(() => this.api.denoise.viaGenerator(source))) ?? null;
  }
}
