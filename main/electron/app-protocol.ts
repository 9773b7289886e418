// What an app:// URL means: app://studio/<file> is a file of the built renderer, app://studio/media/<ref> is an
// image or export from the engine (the local server's /media/ in the same place, so the renderer is host-blind).
// Pure, so traversal and foreign-host refusals are unit-tested without Electron.
import { mediaRefFromPath, MEDIA_PREFIX } from '../host/media-ref';
import { resolveStatic } from '../host/static-files';
import { APP_HOST, APP_SCHEME } from './app-url';

export type AppTarget =
  | { kind: 'file'; file: string }
  | { kind: 'media'; ref: string; download: boolean }
  | { kind: 'refused' }
  | { kind: 'not-found' };

export function resolveAppRequest(rawUrl: string, rendererDir: string): AppTarget {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'refused' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { kind: 'refused' };
  if (url.pathname.startsWith(MEDIA_PREFIX)) {
    const ref = mediaRefFromPath(url.pathname);
    return ref ? { kind: 'media', ref, download: url.searchParams.get('download') === '1' } : { kind: 'not-found' };
  }
  return resolveStatic(rendererDir, url.pathname);
}
