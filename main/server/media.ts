// /media/<ref>: images and exports the engine made (thumbnails, previews, GIFs), by the opaque MediaRef the
// contract hands the renderer. The ref is checked against the contract's pattern before the engine sees it.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { mediaRefSchema } from '../../shared/services/common';
import type { AppEngine, Media } from '../studio/api';
import { attachmentHeader } from '../host/headers';

export const MEDIA_PREFIX = '/media/';

/** The MediaRef in a /media/ path, or null when the path names none. */
export function mediaRefFromPath(pathname: string): string | null {
  if (!pathname.startsWith(MEDIA_PREFIX)) return null;
  let ref: string;
  try {
    ref = decodeURIComponent(pathname.slice(MEDIA_PREFIX.length));
  } catch {
    return null;
  }
  return mediaRefSchema.safeParse(ref).success ? ref : null;
}

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
