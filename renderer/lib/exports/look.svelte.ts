// How exports are enlarged, chosen once and used by every export button: a whole factor and pixel-sharp
// (nearest neighbour, for pixel art) or smooth resampling. The size starts at about 256 px per image.
import type { Resampling } from '../../../shared/services/exports';

export const SCALES = [1, 2, 4, 8] as const;

export class ExportLook {
  /** null: not chosen yet, so the project's suggestion applies. */
  chosenScale = $state<number | null>(null);
  resampling = $state<Resampling>('nearest');

  /** The factor for a project's image size: the chosen one, else about 256 px per image. */
  scaleFor(imageSize: number): number {
    return this.chosenScale ?? Math.max(1, Math.min(8, 2 ** Math.round(Math.log2(256 / imageSize))));
  }

  options(imageSize: number): { scale: number; resampling: Resampling } {
    return { scale: this.scaleFor(imageSize), resampling: this.resampling };
  }
}
