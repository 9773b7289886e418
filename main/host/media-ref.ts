// Where media live in a URL, for both hosts: the local server's /media/<ref> and Electron's app://…/media/<ref>
// name images and exports the engine made by the opaque MediaRef the contract hands the renderer. The ref is
// checked against the contract's pattern before the engine sees it.
import { mediaRefSchema } from '../../shared/services/common';

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
