// The gallery: kept images with their provenance. Latents are stored as float32 (what the decoder consumes),
// so decoding a stored latent again with the same checkpoint gives the same pixels.
import type Database from 'better-sqlite3';
import { isPng } from '../images/sniff';
import { ProjectError } from './errors';
import { writeTransaction } from './transaction';

export const GALLERY_OPERATIONS = ['sample', 'map', 'slider', 'interpolate', 'encode'] as const;
export type GalleryOperation = (typeof GALLERY_OPERATIONS)[number];

export interface GalleryItemInput {
  checkpointId: number;
  /** The checkpoint's training step, kept to describe the item after the checkpoint is gone. */
  checkpointStep: number;
  operation: GalleryOperation;
  latent: ArrayLike<number>;
  seed: number | null;
  temperature: number | null;
  note: string;
  png: Uint8Array;
}

export interface GalleryRecord {
  id: number;
  createdAt: string;
  /** The checkpoint the image was made with, even after it was deleted. */
  checkpointId: number;
  checkpointStep: number;
  /** False once that checkpoint has been deleted (pruned or removed): the item can no longer be regenerated. */
  checkpointExists: boolean;
  operation: GalleryOperation;
  latent: Float32Array;
  seed: number | null;
  temperature: number | null;
  note: string;
}

const COLUMNS = `id, created_at AS createdAt, made_with_checkpoint AS checkpointId, made_with_step AS checkpointStep,
  checkpoint_id IS NOT NULL AS checkpointExists, operation, latent, seed, temperature, note`;

type Row = Omit<GalleryRecord, 'latent' | 'checkpointExists'> & { latent: Uint8Array; checkpointExists: number };

const toRecord = (row: Row): GalleryRecord => ({ ...row, checkpointExists: row.checkpointExists === 1, latent: floatsFromBlob(row.latent) });

export class Gallery {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  add(input: GalleryItemInput): GalleryRecord {
    if (!isPng(input.png)) {
      throw new ProjectError('invalid-input', 'A gallery image must be a PNG image');
    }
    if (input.latent.length === 0) throw new ProjectError('invalid-input', 'A gallery item needs its latent');
    const id = writeTransaction(this.db, this.file, 'save the image to the gallery', () =>
      this.db
        .prepare(
          `INSERT INTO gallery (created_at, checkpoint_id, made_with_checkpoint, made_with_step, operation, latent, seed,
                                temperature, note, png)
           VALUES (@createdAt, @checkpointId, @checkpointId, @checkpointStep, @operation, @latent, @seed, @temperature,
                   @note, @png)
           RETURNING id`,
        )
        .pluck()
        .get({
          createdAt: new Date().toISOString(),
          checkpointId: input.checkpointId,
          checkpointStep: input.checkpointStep,
          operation: input.operation,
          latent: blobFromFloats(input.latent),
          seed: input.seed,
          temperature: input.temperature,
          note: input.note,
          png: input.png,
        }),
    ) as number;
    return this.get(id)!;
  }

  /** Newest first, without the images. */
  list(): GalleryRecord[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM gallery ORDER BY id DESC`).all() as Row[]).map(toRecord);
  }

  get(id: number): GalleryRecord | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM gallery WHERE id = ?`).get(id) as Row | undefined;
    return row && toRecord(row);
  }

  /** The saved PNG bytes. */
  png(id: number): Uint8Array | undefined {
    return this.db.prepare('SELECT png FROM gallery WHERE id = ?').pluck().get(id) as Uint8Array | undefined;
  }

  /** Deletes the item; false when there was none. */
  remove(id: number): boolean {
    const { changes } = writeTransaction(this.db, this.file, 'remove the image from the gallery', () =>
      this.db.prepare('DELETE FROM gallery WHERE id = ?').run(id),
    );
    return changes > 0;
  }
}

function blobFromFloats(values: ArrayLike<number>): Buffer {
  const floats = Float32Array.from(values);
  const out = Buffer.alloc(floats.length * 4);
  for (let i = 0; i < floats.length; i++) out.writeFloatLE(floats[i], i * 4);
  return out;
}

function floatsFromBlob(blob: Uint8Array): Float32Array {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
