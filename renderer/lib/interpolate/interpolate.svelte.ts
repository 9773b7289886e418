// Interpolate screen state: the chosen keyframes, the path through them, decoded frames, playback, exports.
import { type Connected, ConnectedModel } from '../shell/connected';
import type { RgbImage } from '../../../shared/services/explore';
import type { Exported } from '../../../shared/services/exports';
import type { InterpolationMode } from '../../../shared/latent';
import type { AppState } from '../shell/app.svelte';
import type { ExportLook } from '../exports/look.svelte';
import { newJobId } from '../jobs/job-id';
import { keyframePath } from './path';

export interface Keyframe {
  key: string;
  label: string;
  latent: number[];
  /** URL or data URL of the image it came from. */
  src: string;
}

export class InterpolateModel extends ConnectedModel {
  selected = $state.raw<Keyframe[]>([]);
  /** Images the user dropped in, offered beside the dataset's. */
  dropped = $state.raw<Keyframe[]>([]);
  mode = $state<InterpolationMode>('slerp');
  frames = $state(16);
  fps = $state(12);
  path = $derived(keyframePath(this.selected.map((k) => k.latent), this.frames, this.mode));
  decoded = $state.raw<RgbImage[]>([]);
  decoding = $state(false);
  playing = $state(false);
  frameIndex = $state(0);
  exportJobId = $state<string | null>(null);
  exported = $state<(Exported & { kind: 'GIF' | 'PNG strip' }) | null>(null);
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly app: AppState;
  private readonly look: ExportLook;

  constructor(deps: Connected, app: AppState, look: ExportLook) {
    super(deps);
    this.app = app;
    this.look = look;
  }

  toggle(frame: Keyframe): void {
    const has = this.selected.some((k) => k.key === frame.key);
    this.selected = has ? this.selected.filter((k) => k.key !== frame.key) : [...this.selected, frame];
    this.invalidate();
  }

  /** Another project opened: its latents mean nothing there. */
  reset(): void {
    this.dropped = [];
    this.exported = null;
    this.clear();
  }

  clear(): void {
    this.selected = [];
    this.invalidate();
  }

  invalidate(): void {
    this.stop();
    this.decoded = [];
    this.frameIndex = 0;
  }

  async addDropped(dataUrl: string, name: string): Promise<void> {
    const result = await this.attempt(() => this.api.explore.encode({ image: dataUrl }));
    if (!result) return;
    const frame = { key: `drop-${Date.now()}`, label: name, latent: result.latent, src: result.input };
    this.dropped = [...this.dropped, frame];
    this.toggle(frame);
  }

  /** Decodes every frame (first time), then loops them. */
  async play(): Promise<void> {
    if (this.playing) return this.stop();
    if (this.path.length < 2) return;
    if (this.decoded.length !== this.path.length) {
      this.decoding = true;
      const path = this.path;
      const frames: RgbImage[] = [];
      for (const latent of path) {
        const image = await this.attempt(() => this.api.explore.decode({ latent }));
        if (!image) break;
        frames.push(image);
        this.decoded = [...frames];
        this.frameIndex = frames.length - 1;
      }
      this.decoding = false;
      if (frames.length !== path.length) return;
    }
    this.playing = true;
    this.timer = setInterval(() => (this.frameIndex = (this.frameIndex + 1) % this.decoded.length), 1000 / this.fps);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playing = false;
  }

  async exportGif(): Promise<void> {
    const jobId = newJobId('gif');
    this.exportJobId = jobId;
    const look = this.look.options(this.app.project?.imageSize ?? 64);
    const result = await this.attempt(() => this.api.exports.gif({ latents: this.path, fps: this.fps, jobId, ...look }));
    this.exportJobId = null;
    if (result) this.exported = { ...result, kind: 'GIF' };
  }

  async exportStrip(): Promise<void> {
    const look = this.look.options(this.app.project?.imageSize ?? 64);
    const result = await this.attempt(() => this.api.exports.strip({ latents: this.path, ...look }));
    if (result) this.exported = { ...result, kind: 'PNG strip' };
  }
}
