// Explore screen state: the latent map, the point being decoded live, samples from the prior, and where a
// dropped image lands. Decoding is coalesced: one request in flight, the latest point wins.
import { type Connected, ConnectedModel } from '../shell/connected';
import type { LatentMap, RgbImage } from '../../../shared/services/explore';
import type { GalleryItem } from '../../../shared/services/gallery';
import type { AppState } from '../shell/app.svelte';
import { newJobId } from '../jobs/job-id';
import { LatestOnly } from './coalesce';
import { coordsFromLatent, latentFromCoords } from './latent-coords';

export type Operation = GalleryItem['operation'];

export interface DroppedImage {
  input: string;
  reconstruction: string;
  latent: number[];
  neighbours: { imageId: number; distance: number; thumb: string }[];
  /** Where it lands, in slider coordinates. */
  coords: number[];
}

export class ExploreModel extends ConnectedModel {
  map = $state.raw<LatentMap | null>(null);
  mapJobId = $state<string | null>(null);
  /** Why there is no map (no checkpoint yet, no images), or null. */
  unavailable = $state<string | null>(null);
  /** Position along each principal direction, in standard deviations. */
  coords = $state<number[]>([]);
  latent = $state.raw<number[] | null>(null);
  operation = $state<Operation>('map');
  usedSeed = $state<number | null>(null);
  image = $state.raw<(RgbImage & { checkpointId?: number; checkpointStep?: number }) | null>(null);
  temperature = $state(1);
  seed = $state(Math.floor(Math.random() * 100_000));
  dropped = $state<DroppedImage | null>(null);
  savedMessage = $state<string | null>(null);
  stale = true;
  private readonly app: Pick<AppState, 'screen'>;

  constructor(deps: Connected, app: Pick<AppState, 'screen'>) {
    super(deps);
    this.app = app;
  }

  private decoder = new LatestOnly<number[], RgbImage & { checkpointId?: number; checkpointStep?: number }>(
    (latent) => this.api.explore.decode({ latent }),
    (image) => (this.image = image),
    (err) => this.errors.report(err),
  );

  listen(): void {
    // A new checkpoint (training went on or stopped) or another one restored: what is shown must come from the
    // model now in use, not from the one it was decoded with.
    this.api.on('checkpoints', 'changed', () => this.modelChanged());
    // Training ended: the map, left alone while it ran, follows the final checkpoint.
    this.api.on('training', 'state', (s) => {
      const wasTraining = ['starting', 'running', 'stopping'].includes(this.lastTrainingStatus);
      this.lastTrainingStatus = s.status;
      if (wasTraining && (s.status === 'idle' || s.status === 'paused') && this.stale) this.modelChanged();
    });
  }

  /**
   * Decodes the current point again with the active checkpoint (one decode: cheap). The map, which encodes the
   * whole dataset, follows when Explore is shown and no training is competing for the processor.
   */
  modelChanged(): void {
    this.stale = true;
    if (this.latent) this.decoder.request(this.latent);
    const training = ['starting', 'running', 'stopping'].includes(this.trainingStatus());
    if (this.app.screen === 'explore' && this.map && !training) void this.loadMap();
  }

  /** The training status last heard (kept here so this model needs nothing of the Train screen's). */
  private lastTrainingStatus = 'idle';
  private trainingStatus(): string {
    return this.lastTrainingStatus;
  }

  /** Another project opened. */
  reset(): void {
    this.stale = true;
    this.map = null;
    this.latent = null;
    this.image = null;
    this.coords = [];
    this.dropped = null;
    this.unavailable = null;
  }

  async loadMap(force = false): Promise<void> {
    if (this.mapJobId || (!force && !this.stale && this.map)) return;
    const jobId = newJobId('map');
    this.mapJobId = jobId;
    try {
      const map = await this.api.explore.map({ jobId });
      const previous = this.map?.checkpointId;
      this.map = map;
      this.unavailable = null;
      this.stale = false;
      if (this.coords.length !== map.components.length) this.coords = map.components.map(() => 0);
      if (!this.latent || this.latent.length !== map.latentSize) this.moveTo(this.coords, 'map');
      else if (previous !== map.checkpointId || this.image?.checkpointId !== map.checkpointId) {
        // Another model: the same latent, decoded by it, placed on its own map.
        this.coords = coordsFromLatent(map, this.latent);
        this.decoder.request(this.latent);
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'not-found' || code === 'no-project') this.unavailable = (err as Error).message;
      else this.errors.report(err);
    } finally {
      this.mapJobId = null;
    }
  }

  /** Decodes the point at slider coordinates `coords`. */
  moveTo(coords: number[], operation: Operation): void {
    if (!this.map) return;
    this.coords = coords;
    this.operation = operation;
    this.usedSeed = null;
    this.show(latentFromCoords(this.map, coords));
  }

  show(latent: number[]): void {
    this.latent = latent;
    this.savedMessage = null;
    this.decoder.request(latent);
  }

  async surprise(): Promise<void> {
    const seed = this.seed;
    const result = await this.attempt(() => this.api.explore.sample({ count: 1, temperature: this.temperature, seed }));
    const item = result?.items[0];
    if (!item) return;
    this.operation = 'sample';
    this.usedSeed = seed;
    if (this.map) this.coords = coordsFromLatent(this.map, item.latent);
    this.show(item.latent);
    this.seed = (seed + 1) % 2 ** 31;
  }

  async encode(dataUrl: string): Promise<void> {
    const result = await this.attempt(() => this.api.explore.encode({ image: dataUrl }));
    if (!result) return;
    const coords = this.map ? coordsFromLatent(this.map, result.latent) : [];
    this.dropped = { ...result, coords };
    if (this.map) this.coords = coords;
    this.operation = 'encode';
    this.show(result.latent);
  }

  async save(): Promise<void> {
    const latent = this.latent;
    if (!latent) return;
    const sampled = this.operation === 'sample';
    const item = await this.attempt(() =>
      this.api.gallery.save({
        latent,
        operation: this.operation,
        seed: sampled && this.usedSeed !== null ? this.usedSeed : undefined,
        temperature: sampled ? this.temperature : undefined,
      }),
    );
    if (item) this.savedMessage = `Saved to the gallery (item ${item.id}).`;
  }
}
