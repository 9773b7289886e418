// The dataset: import a folder (a job), then what came of it — counts, the size mix of the source files,
// failures with reasons, duplicates with what they duplicate, and pages of items for a virtualised grid.
import type { DatasetItem } from '../../../shared/services/dataset';
import { importFolder } from '../../engine/operations/import-folder';
import type { ImageRecord, ImageStatus, ProjectStore } from '../../engine/store';
import type { AppContext, ServiceHandlers } from '../api';
import { numericId } from '../media';
import { requireImageFolder } from '../image-folder';
import { userPath } from '../paths';
import type { Thumbnails } from '../thumbnails';
import { announceProject } from './projects';

/** Size groups listed one by one; the rest are counted together. */
const SIZE_GROUPS = 24;

type UiStatus = DatasetItem['status'];
const TO_STORE: Record<UiStatus, ImageStatus> = { ready: 'ok', failed: 'failed', duplicate: 'duplicate' };
const TO_UI: Record<ImageStatus, UiStatus> = { ok: 'ready', failed: 'failed', duplicate: 'duplicate' };

export function createDatasetHandlers(app: AppContext, thumbnails: Thumbnails): ServiceHandlers<'dataset'> {
  app.registerMedia('thumb', (id) => {
    const imageId = numericId(id);
    const store = app.session.current();
    return imageId === null || !store ? null : thumbnails.get(store, imageId);
  });

  return {
    async import({ folder, jobId }) {
      const store = app.session.requireStore();
      const root = userPath(folder);
      await requireImageFolder(root);
      const started = performance.now();
      try {
        const report = await app.jobs.run(jobId, 'import', (ctx) => importFolder(store, root, ctx));
        return {
          scanned: report.scanned,
          added: report.added,
          changed: report.updated,
          removed: report.removed,
          failed: report.failed.length,
          duplicates: report.duplicates.length,
          seconds: (performance.now() - started) / 1000,
        };
      } finally {
        // Rows changed even when the import stopped half-way: forget stale thumbnails, tell the screens.
        thumbnails.clear();
        if (app.session.current() === store) announceProject(app);
      }
    },

    summary() {
      const store = app.session.requireStore();
      const counts = store.images.counts();
      const rows = store.images.list();
      const name = displayName(rows);
      const originals = new Map(rows.filter((r) => r.status === 'ok').map((r) => [r.sha256, r]));
      return {
        counts: { total: counts.total, ready: counts.ok, failed: counts.failed, duplicate: counts.duplicate },
        sizes: sizeMix(rows),
        failures: rows.filter((r) => r.status === 'failed').map((r) => ({ path: name(r), reason: r.error ?? 'Unknown error.' })),
        duplicates: rows
          .filter((r) => r.status === 'duplicate')
          .map((r) => {
            const original = r.sha256 ? originals.get(r.sha256) : undefined;
            return { path: name(r), duplicateOf: original ? name(original) : (r.error ?? '') };
          }),
      };
    },

    page({ offset, limit, status }) {
      const store = app.session.requireStore();
      const filter = status ? { status: TO_STORE[status] } : {};
      const counts = store.images.counts();
      const total = status ? counts[TO_STORE[status]] : counts.total;
      const rows = store.images.list({ ...filter, offset, limit });
      const name = displayName(rootsOf(store));
      return { total, items: rows.map((r): DatasetItem => item(app, r, name)) };
    },
  };
}

function item(app: AppContext, r: ImageRecord, name: (r: ImageRecord) => string): DatasetItem {
  return {
    id: r.id,
    path: name(r),
    status: TO_UI[r.status],
    reason: r.error,
    // Duplicates keep their prepared pixels, so they have a thumbnail too.
    thumb: r.status === 'failed' ? null : app.mediaRef('thumb', r.id),
    width: r.width,
    height: r.height,
  };
}

/** Source resolutions, largest groups first, e.g. "1024×768". */
function sizeMix(rows: ImageRecord[]): { label: string; count: number }[] {
  const groups = new Map<string, number>();
  for (const r of rows) {
    if (r.width === null || r.height === null) continue;
    const label = `${r.width}×${r.height}`;
    groups.set(label, (groups.get(label) ?? 0) + 1);
  }
  const sorted = [...groups].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  if (sorted.length <= SIZE_GROUPS) return sorted;
  const rest = sorted.slice(SIZE_GROUPS - 1).reduce((n, g) => n + g.count, 0);
  return [...sorted.slice(0, SIZE_GROUPS - 1), { label: 'other sizes', count: rest }];
}

/** Enough of the imported folders to tell one from several. */
function rootsOf(store: ProjectStore): { root: string }[] {
  return store.db.prepare('SELECT DISTINCT root FROM images LIMIT 2').all() as { root: string }[];
}

/** Paths relative to the imported folder; with several folders imported, full paths so they stay unambiguous. */
function displayName(rows: { root: string }[]): (r: ImageRecord) => string {
  const roots = new Set(rows.map((r) => r.root));
  if (roots.size <= 1) return (r) => r.path;
  return (r) => `${r.root.replace(/[\\/]+$/, '')}/${r.path}`;
}
