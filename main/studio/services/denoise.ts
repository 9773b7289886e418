// Denoising in the app: one photo at full resolution (before and after served as media for the comparison
// slider), whole folders (resumable batches with a report that can be saved as CSV), and a generator
// project's encode → decode at its own resolution.
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { RpcError } from '../../../shared/contract/define';
import type { BatchReport } from '../../../shared/services/denoise';
import { reportCsv } from '../../engine/denoise/report-csv';
import { MAX_INPUT_PIXELS, writeFileAtomic } from '../../engine/images';
import { firstFreeName } from '../../engine/images/free-name';
import { denoiseAtModelSize, denoiseFile, denoiseFolder } from '../../engine/operations/denoise';
import type { ProjectStore } from '../../engine/store';
import { resolveInput, resolveOutput } from '../../engine/denoise/folders';
import type { AppContext, Media, ServiceHandlers } from '../api';
import { userPath } from '../paths';
import { dataUrlBytes, datasetPixels, droppedPixels, modelFor, pngDataUrl } from './decoding';

/** Formats a browser shows as they are; anything else gets a PNG rendition for the comparison view. */
const BROWSER_MIME: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif' };

export function createDenoiseHandlers(app: AppContext): ServiceHandlers<'denoise'> {
  const photos = new PhotoMedia(app);

  return {
    async image({ input, output, strength, sigma, quality, jobId }) {
      const store = app.session.requireStore();
      const inPath = userPath(input);
      const outPath = output === undefined ? await defaultOutput(app, inPath) : userPath(output);
      const started = performance.now();
      const result = await app.jobs.run(jobId, 'denoise', (ctx) => denoiseFile(store, inPath, outPath, { strength, sigma, quality, onConflict: 'rename' }, ctx));
      const [before, after] = await Promise.all([photos.add(result.input), photos.add(result.output)]);
      return {
        before,
        after,
        output: result.output,
        width: result.width ?? 0,
        height: result.height ?? 0,
        seconds: (performance.now() - started) / 1000,
        noise: result.noise ?? null,
      };
    },

    async batch({ input, output, onConflict, strength, sigma, quality, jobId }) {
      const store = app.session.requireStore();
      const [inPath, outPath] = [userPath(input), userPath(output)];
      const before = await previousBatch(store, inPath, outPath);
      const report = await app.jobs.run(jobId, 'batch-denoise', (ctx) => denoiseFolder(store, inPath, outPath, { onConflict, strength, sigma, quality }, ctx));
      const finishedBefore = before?.status === 'completed';
      const alreadyDone = finishedBefore && report.written === 0 ? { runAgainInto: await freeFolderBeside(outPath) } : null;
      // A finished batch run again is not "continued": only an interrupted one is.
      return batchReport(store, report.batchId, report.resumed && !finishedBefore, report.written, alreadyDone);
    },

    async saveReport({ batchId, path }) {
      const store = app.session.requireStore();
      if (!store.denoiseBatches.get(batchId)) throw new RpcError('not-found', `This project has no denoise batch ${batchId}.`);
      const target = path === undefined ? await uniqueIn(app.options.exportsFolder, `denoise-report-${batchId}`, '.csv') : userPath(path);
      if (extname(target).toLowerCase() !== '.csv') throw new RpcError('invalid-input', `A report is a CSV file, so its name must end in .csv; "${basename(target)}" does not.`);
      await writeFileAtomic(target, Buffer.from(reportCsv(store, batchId), 'utf8'));
      return { path: target, media: photos.addFile(target, 'text/csv') };
    },

    async viaGenerator(input) {
      const store = app.session.requireStore();
      if (store.getSettings().kind !== 'generate') {
        throw new RpcError('invalid-input', 'This is a denoiser project: use the photo tools to denoise at full resolution.');
      }
      const size = store.getSettings().imageSize;
      const { model } = await modelFor(app);
      const pixels = 'imageId' in input ? datasetPixels(store, input.imageId) : await droppedPixels(dataUrlBytes(input.image), size, model.imageChannels);
      const after = denoiseAtModelSize(model, pixels);
      return { before: await pngDataUrl(pixels, size, size), after: await pngDataUrl(after, size, size) };
    },
  };
}

/** The whole batch as the report screen shows it: counts and one row per file. */
function batchReport(
  store: ProjectStore,
  batchId: number,
  resumed: boolean,
  written: number,
  alreadyDone: BatchReport['alreadyDone'],
): BatchReport {
  const batch = store.denoiseBatches.get(batchId)!;
  const items = store.denoiseBatches.items(batchId);
  const count = (status: string) => items.filter((i) => i.status === status).length;
  return {
    batchId,
    input: batch.inputFolder,
    output: batch.outputFolder,
    done: count('done'),
    skipped: count('skipped'),
    failed: count('failed'),
    resumed,
    written,
    alreadyDone,
    items: items.map((i) => ({ file: i.path, status: i.status, output: i.outputPath, reason: i.error, estimatedSigma: i.estimatedSigma, sigma: i.sigma })),
  };
}

/** The batch a run for these folders would continue, if any (folders resolved as the batch resolves them). */
async function previousBatch(store: ProjectStore, input: string, output: string) {
  try {
    return store.denoiseBatches.latestFor(await resolveInput(input), await resolveOutput(output));
  } catch {
    return undefined; // the batch itself reports a missing input folder
  }
}

/** "<output>-2", "<output>-3"…: the first that does not exist. */
async function freeFolderBeside(output: string): Promise<string> {
  const free = await firstFreeName((n) => `${output.replace(/[\\/]+$/, '')}-${n + 1}`);
  if (free === undefined) throw new RpcError('failed', `Too many folders are named like ${output}; choose another output folder.`);
  return free;
}

/** "<exports>/denoised/<name>-denoised.<ext>"; the engine renames if it exists. */
async function defaultOutput(app: AppContext, input: string): Promise<string> {
  const folder = join(app.options.exportsFolder, 'denoised');
  await mkdir(folder, { recursive: true });
  const ext = extname(input);
  return join(folder, `${basename(input, ext)}-denoised${ext}`);
}

async function uniqueIn(folder: string, stem: string, ext: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const name = await firstFreeName((n) => join(folder, n === 1 ? `${stem}${ext}` : `${stem}-${n}${ext}`));
  if (name === undefined) throw new RpcError('failed', `${folder} holds too many files named ${stem}; remove some and try again.`);
  return name;
}

/** Photos (and reports) remembered for media refs: the latest few results; older refs stop resolving. */
const PHOTOS_KEPT = 16;

/** Files shown or downloaded through media refs "photo/<n>": only files this service handed out. */
class PhotoMedia {
  private readonly files = new Map<string, Media>();
  private next = 1;

  constructor(private readonly app: AppContext) {
    app.registerMedia('photo', (token) => this.files.get(token) ?? null);
    app.session.onChange(() => this.files.clear());
  }

  addFile(file: string, mime: string): string {
    return this.remember({ mime, file, filename: basename(file) });
  }

  /** Keeps `media` under a new token, forgetting the oldest beyond PHOTOS_KEPT (renditions hold whole images). */
  private remember(media: Media): string {
    const token = String(this.next++);
    this.files.set(token, media);
    for (const old of this.files.keys()) {
      if (this.files.size <= PHOTOS_KEPT) break;
      this.files.delete(old);
    }
    return this.app.mediaRef('photo', token);
  }

  /** A photo for <img>: the file itself when the browser can show it, else a PNG rendition made once. */
  async add(file: string): Promise<string> {
    const image = sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    const { format } = await image.metadata();
    const mime = format ? BROWSER_MIME[format] : undefined;
    if (mime) return this.addFile(file, mime);
    return this.remember({ mime: 'image/png', bytes: await image.rotate().png().toBuffer(), filename: `${basename(file, extname(file))}.png` });
  }
}
