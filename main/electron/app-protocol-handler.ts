// Serves app:// (registered as a privileged, standard scheme before ready): the renderer's files and the
// engine's media, each response with the app's Content-Security-Policy. Nothing here reads outside dist/renderer
// except media files the engine itself names.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { attachmentHeader, contentSecurityPolicy, securityHeaders } from '../host/headers';
import { contentType } from '../host/static-files';
import { resolveAppRequest } from './app-protocol';
import type { EngineProcess } from './engine-process';
import { APP_SCHEME } from './app-url';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

const HEADERS = securityHeaders(contentSecurityPolicy());

function text(status: number, line: string): Response {
  return new Response(`${line}\n`, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

export function handleAppProtocol(rendererDir: string, engine: EngineProcess): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(request.url, rendererDir);
    switch (target.kind) {
      case 'refused':
        return text(403, 'Forbidden.');
      case 'not-found':
        return text(404, 'Not found.');
      case 'file':
        return new Response(new Uint8Array(await readFile(target.file)), { headers: { ...HEADERS, 'Content-Type': contentType(target.file), 'Cache-Control': 'no-cache' } });
      case 'media': {
        const media = await engine.getMedia(target.ref);
        const bytes = media?.bytes ?? (media?.file ? await readFile(media.file).catch(() => null) : null);
        if (!media || !bytes) return text(404, 'This image or file does not exist (any more).');
        const headers: Record<string, string> = { ...HEADERS, 'Content-Type': media.mime, 'Cache-Control': 'no-store' };
        if (target.download) headers['Content-Disposition'] = attachmentHeader(media.filename ?? (media.file ? basename(media.file) : target.ref.replace('/', '-')));
        return new Response(new Uint8Array(bytes), { headers });
      }
    }
  });
}
