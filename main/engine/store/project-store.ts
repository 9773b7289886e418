// An open project: its settings and one repository per kind of record, all on one SQLite connection.
// Obtain one with openProject(); close it when done (closing checkpoints the WAL into the file).
import type Database from 'better-sqlite3';
import { Checkpoints } from './checkpoints';
import { DenoiseBatches } from './denoise-batches';
import { Gallery } from './gallery';
import { ImageIndex } from './image-index';
import { checkIntegrity } from './integrity';
import { Metrics } from './metrics';
import { schemaVersion } from './migrations';
import { Previews } from './previews';
import { Runs } from './runs';
import { type AlphaMode, bytesPerImage, type SavedSettings, writeImageFormat } from './settings';
import { writeTransaction } from './transaction';

export class ProjectStore {
  /** The image index and the prepared training pixels. */
  readonly images: ImageIndex;
  readonly runs: Runs;
  readonly metrics: Metrics;
  readonly checkpoints: Checkpoints;
  readonly previews: Previews;
  /** Folder denoising runs with per-file status. */
  readonly denoiseBatches: DenoiseBatches;
  /** Kept images with their provenance. */
  readonly gallery: Gallery;

  constructor(
    /** The raw connection, for tools and tests; the repositories above are the API. */
    readonly db: Database.Database,
    /** The project file, as given to openProject. */
    readonly path: string,
    private settings: SavedSettings,
  ) {
    this.images = new ImageIndex(db, path, () => bytesPerImage(this.settings.imageSize, this.settings.kind, this.settings.imageChannels));
    this.runs = new Runs(db, path);
    this.metrics = new Metrics(db, path);
    this.checkpoints = new Checkpoints(db, path);
    this.previews = new Previews(db, path);
    this.denoiseBatches = new DenoiseBatches(db, path);
    this.gallery = new Gallery(db, path);
  }

  get readonly(): boolean {
    return this.db.readonly;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  getSettings(): SavedSettings {
    return { ...this.settings };
  }

  /**
   * Records whether the project keeps transparency and how many channels its prepared images have. Import calls it
   * when the channel count changes, before preparing every image again; a prepared image of the old count is
   * refused from then on.
   */
  setImageFormat(format: { alpha: AlphaMode; imageChannels: 3 | 4 }): void {
    writeTransaction(this.db, this.path, 'save the project settings', () => writeImageFormat(this.db, format));
    this.settings = { ...this.settings, ...format };
  }

  /** SQLite's full integrity check plus foreign keys: 'ok' or the problems found. Reads the whole file. */
  integrityCheck(): 'ok' | string[] {
    return checkIntegrity(this.db);
  }

  /** Closes the file. Safe to call twice. */
  close(): void {
    if (!this.db.open) return;
    if (!this.db.readonly) {
      try {
        this.db.pragma('optimize');
      } catch {
        // Only statistics; never a reason to fail a close.
      }
    }
    this.db.close();
  }
}
