// /media/<ref>: images and exports the engine made (thumbnails, previews, GIFs), by the opaque MediaRef the
// contract hands the renderer (../host/media-ref.ts reads the ref out of the path).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { AppEngine, Media } from '../studio/api';
import { attachmentHeader } from '../host/headers';

export async function serveMedia(
  engine: Pick<AppEngine, 'media'>,
  ref: string | null,
  download: boolean,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const media = ref === null ? null : await engine.media(ref).catch(() => null);
  const size = media ? await mediaSize(media) : null;
  if (!media || size === null) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('This image or file does not exist (any more).\n');
    return;
  }
  const out: Record<string, string | number> = { ...headers, 'Content-Type': media.mime, 'Content-Length': size, 'Cache-Control': 'no-store' };
  if (download) out['Content-Disposition'] = attachmentHeader(media.filename ?? (media.file ? basename(media.file) : ref!.replace('/', '-')));
  res.writeHead(200, out);
  if (res.req.method === 'HEAD') {
    res.end();
  } else if (media.bytes) {
    res.end(media.bytes);
  } else {
    createReadStream(media.file!)
      .on('error', () => res.destroy())
      .pipe(res);
  }
}

async function mediaSize(media: Media): Promise<number | null> {
  if (media.bytes) return media.bytes.length;
  if (!media.file) return null;
  try {
    const info = await stat(media.file);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}
