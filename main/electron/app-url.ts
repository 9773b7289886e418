// The app's own origin under Electron. No imports: the sandboxed preload bundles this file.
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** The URL for a MediaRef: the same /media/ path the local server uses, on the app's origin. */
export function appMediaUrl(ref: string): string {
  return `${APP_ORIGIN}/media/${String(ref).split('/').map(encodeURIComponent).join('/')}`;
}
