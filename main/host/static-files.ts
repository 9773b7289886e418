// Where a URL path points inside the built renderer (dist/renderer), without ever leaving it, and what the
// browser is told about each file. Shared by the local server and Electron's app:// protocol.
import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticTarget =
  | { kind: 'file'; file: string }
  /** The path escapes the folder (../, an absolute path, a symlink out): refused, never served. */
  | { kind: 'refused' }
  | { kind: 'not-found' };

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolves an (still percent-encoded) URL path against `root`. A path to a missing file without an extension is a
 * client-side route of the single-page app and gets index.html; a missing asset is not found.
 */
export function resolveStatic(root: string, urlPath: string): StaticTarget {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' };
  const rootPath = resolve(root);
  const target = resolve(rootPath, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  if (!inside(rootPath, target)) return { kind: 'refused' };
  const candidate = decoded.endsWith('/') || target === rootPath ? resolve(target, 'index.html') : target;
  if (isFile(candidate)) {
    // A symlink inside the folder may still point out of it.
    return inside(realpathSync(rootPath), realpathSync(candidate)) ? { kind: 'file', file: candidate } : { kind: 'refused' };
  }
  if (extname(decoded) === '') {
    const index = resolve(rootPath, 'index.html');
    return isFile(index) ? { kind: 'file', file: index } : { kind: 'not-found' };
  }
  return { kind: 'not-found' };
}
