// Gallery screen state: saved images with provenance, regeneration checks and exports.
import { api } from '../../api/client';
import type { Exported } from '../../../shared/services/exports';
import type { GalleryItem } from '../../../shared/services/gallery';
import { attempt } from '../app/errors.svelte';
import { app } from '../app/app.svelte';
import { exportLook } from '../exports/look.svelte';

export interface Regenerated {
  image: string;
  identical: boolean;
}

export class GalleryModel {
  items = $state.raw<GalleryItem[]>([]);
  regenerated = $state<Record<number, Regenerated>>({});
  exported = $state<Exported | null>(null);

  reset(): void {
    this.items = [];
    this.regenerated = {};
    this.exported = null;
  }

  async load(): Promise<void> {
    const result = await attempt(() => api.gallery.list({}));
    if (result) this.items = result.items;
  }

  async regenerate(id: number): Promise<void> {
    const result = await attempt(() => api.gallery.regenerate({ id }));
    if (result) this.regenerated[id] = result;
  }

  async remove(id: number): Promise<void> {
    if (await attempt(() => api.gallery.remove({ id }))) this.items = this.items.filter((i) => i.id !== id);
  }

  async exportPng(item: GalleryItem): Promise<void> {
    const look = exportLook.options(app.project?.imageSize ?? 64);
    this.exported = (await attempt(() => api.exports.png({ latent: item.latent, ...look }))) ?? this.exported;
  }

  /** The active checkpoint's decoder as a TF.js layers model folder (model.json + weights), for other apps. */
  async exportDecoder(): Promise<void> {
    this.exported = (await attempt(() => api.exports.decoderModel({}))) ?? this.exported;
  }

  async exportSheet(): Promise<void> {
    if (this.items.length === 0) return;
    const latents = this.items.map((i) => i.latent);
    const look = exportLook.options(app.project?.imageSize ?? 64);
    this.exported = (await attempt(() => api.exports.sheet({ latents, ...look }))) ?? this.exported;
  }
}

export const gallery = new GalleryModel();
