// The shapes of the image index: what the importer hands in, and what a row says about a file.
import type { Split } from './validation-split';

export const IMAGE_STATUSES = ['ok', 'failed', 'duplicate'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

interface ImageFileFacts {
  /** The import root folder, as the user chose it. */
  root: string;
  /** Path relative to the root, with '/' separators. Unique within the root. */
  path: string;
  byteSize: number;
  mtimeMs: number;
}

/** What the importer learned about one file. */
export type ImageInput =
  | (ImageFileFacts & {
      status: 'ok';
      sha256: string;
      /** Size and format of the original file. */
      width: number;
      height: number;
      format: string;
      /** The prepared image: imageSize × imageSize × 3 bytes, RGB, row-major. */
      pixels: Uint8Array;
    })
  | (ImageFileFacts & {
      status: 'failed';
      error: string;
      sha256?: string | null;
      width?: number | null;
      height?: number | null;
      format?: string | null;
    });

export interface ImageRecord extends ImageFileFacts {
  id: number;
  sha256: string | null;
  width: number | null;
  height: number | null;
  format: string | null;
  status: ImageStatus;
  /** Why the image is not used: the decode error, or which file it duplicates. */
  error: string | null;
  /** Set for 'ok' images only. */
  split: Split | null;
  updatedAt: string;
}

export interface ImageFilter {
  root?: string;
  status?: ImageStatus;
  split?: Split;
  limit?: number;
  offset?: number;
}

export interface ImageCounts {
  total: number;
  ok: number;
  failed: number;
  duplicate: number;
  train: number;
  val: number;
}
