// Which images are held out for validation. About 1 in 20 (5%): an image is in "val" when the first 8 hex
// digits of its sha256, read as a number, are divisible by 20. The split depends on the content only, so a
// re-import, a renamed file or another import order keeps every image where it was.
//
// A tiny dataset may have no such image. Then, with at least 2 usable images, the one with the smallest sha256
// is put in "val" and marked split_forced; it goes back to "train" as soon as an image hashes into "val" or it
// stops being the smallest. The rule depends only on the set of usable images, never on the order of writes,
// and balanceValidation() re-applies it inside every write that changes the set.
import type Database from 'better-sqlite3';

export const SPLITS = ['train', 'val'] as const;
export type Split = (typeof SPLITS)[number];

/** 1 in VALIDATION_BUCKETS images hashes into "val". */
export const VALIDATION_BUCKETS = 20;

/** The split an image gets from its content hash alone. */
export function splitForHash(sha256: string): Split {
  return Number.parseInt(sha256.slice(0, 8), 16) % VALIDATION_BUCKETS === 0 ? 'val' : 'train';
}

/** Re-applies the "at least one val image when there are two or more" rule. Call inside the write transaction. */
export function balanceValidation(db: Database.Database): void {
  const forced = db.prepare('SELECT id FROM images WHERE split_forced = 1').pluck().get() as number | undefined;
  const hasHashedVal = db
    .prepare(`SELECT EXISTS (SELECT 1 FROM images WHERE status = 'ok' AND split = 'val' AND split_forced = 0)`)
    .pluck()
    .get() as number;
  const usable = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM images WHERE status = 'ok' LIMIT 2)`)
    .pluck()
    .get() as number;
  const wanted =
    !hasHashedVal && usable >= 2
      ? (db.prepare(`SELECT id FROM images WHERE status = 'ok' ORDER BY sha256 LIMIT 1`).pluck().get() as number)
      : undefined;
  if (forced === wanted) return;
  if (forced !== undefined) {
    db.prepare(`UPDATE images SET split = 'train', split_forced = 0 WHERE id = ?`).run(forced);
  }
  if (wanted !== undefined) {
    db.prepare(`UPDATE images SET split = 'val', split_forced = 1 WHERE id = ?`).run(wanted);
  }
}
