// Gallery screen state: saved images with provenance, regeneration checks and exports.
import { type Connected, ConnectedModel } from '../shell/connected';
import type { Exported } from '../../../shared/services/exports';
import type { GalleryItem } from '../../../shared/services/gallery';
import type { AppState } from '../shell/app.svelte';
import type { ExportLook } from '../exports/look.svelte';

export interface Regenerated {
  image: string;
  identical: boolean;
}

export class GalleryModel extends ConnectedModel {
  items = $state.raw<GalleryItem[]>([]);
  regenerated = $state<Record<number, Regenerated>>({});
  exported = $state<Exported | null>(null);
  private readonly app: AppState;
  private readonly look: ExportLook;

  constructor(deps: Connected, app: AppState, look: ExportLook) {
    super(deps);
    this.app = app;
    this.look = look;
  }

  reset(): void {
    this.items = [];
    this.regenerated = {};
    this.exported = null;
  }

  async load(): Promise<void> {
    const result = await this.attempt(() => this.api.gallery.list({}));
    if (result) this.items = result.items;
  }

  async regenerate(id: number): Promise<void> {
    const result = await this.attempt(() => this.api.gallery.regenerate({ id }));
    if (result) this.regenerated[id] = result;
  }

  async remove(id: number): Promise<void> {
    if (await this.attempt(() => this.api.gallery.remove({ id }))) this.items = this.items.filter((i) => i.id !== id);
  }

  async exportPng(item: GalleryItem): Promise<void> {
    const look = this.look.options(this.app.project?.imageSize ?? 64);
    this.exported = (await this.attempt(() => this.api.exports.png({ latent: item.latent, ...look }))) ?? this.exported;
  }

  /** The active checkpoint's decoder as a TF.js layers model folder (model.json + weights), for other apps. */
  async exportDecoder(): Promise<void> {
    this.exported = (await this.attempt(() => this.api.exports.decoderModel({}))) ?? this.exported;
  }

  async exportSheet(): Promise<void> {
    if (this.items.length === 0) return;
    const latents = this.items.map((i) => i.latent);
    const look = this.look.options(this.app.project?.imageSize ?? 64);
    this.exported = (await this.attempt(() => this.api.exports.sheet({ latents, ...look }))) ?? this.exported;
  }
}
