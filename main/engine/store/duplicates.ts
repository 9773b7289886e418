// One usable copy per content. A file whose content another file already holds is a 'duplicate': it keeps its
// prepared pixels but is not trained on. When the usable copy goes (deleted, changed, or now failing), the
// first duplicate in root/path order takes its place in the same transaction, so the dataset never loses an
// image that is still on disk, even when the importer skips unchanged files.
import type Database from 'better-sqlite3';
import { splitForHash } from './validation-split';

interface FileName {
  root: string;
  path: string;
}

/** The usable file holding this content, other than (root, path) itself. */
export function findOriginal(db: Database.Database, sha256: string, self: FileName): FileName | undefined {
  return db
    .prepare(`SELECT root, path FROM images WHERE status = 'ok' AND sha256 = ? AND NOT (root = ? AND path = ?)`)
    .get(sha256, self.root, self.path) as FileName | undefined;
}

/** The reason stored on a duplicate of `original`. */
export function duplicateReason(original: FileName, duplicateRoot: string): string {
  return `Same content as ${original.root === duplicateRoot ? original.path : `${original.path} in ${original.root}`}`;
}

/** For each content that lost its usable file, makes its first duplicate (with pixels) the usable one. */
export function promoteDuplicates(db: Database.Database, orphanedSha256s: Iterable<string>): void {
  for (const sha256 of orphanedSha256s) {
    if (db.prepare(`SELECT 1 FROM images WHERE status = 'ok' AND sha256 = ?`).get(sha256)) continue;
    const copies = db
      .prepare(
        `SELECT id, root, path FROM images
         WHERE status = 'duplicate' AND sha256 = ? AND id IN (SELECT image_id FROM image_pixels)
         ORDER BY root, path`,
      )
      .all(sha256) as (FileName & { id: number })[];
    const [heir, ...others] = copies;
    if (!heir) continue;
    db.prepare(`UPDATE images SET status = 'ok', error = NULL, split = ?, split_forced = 0 WHERE id = ?`).run(
      splitForHash(sha256),
      heir.id,
    );
    const rename = db.prepare('UPDATE images SET error = ? WHERE id = ?');
    for (const other of others) rename.run(duplicateReason(heir, other.root), other.id);
  }
}
