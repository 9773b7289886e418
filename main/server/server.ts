// The local server host: the built renderer, /media/<ref> and the /rpc WebSocket on one loopback port, all
// behind the printed token (see auth.ts). `vae-studio serve` wraps it; tests start it with a fake engine.
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { AppEngine } from '../studio/api';
import { type AccessRules, allowedHosts, checkAccess, newToken, sessionCookie } from './auth';
import { contentSecurityPolicy, securityHeaders } from '../host/headers';
import { MEDIA_PREFIX, mediaRefFromPath } from '../host/media-ref';
import { serveMedia } from './media';
import { createRpcEndpoint } from './rpc';
import { contentType, resolveStatic } from '../host/static-files';

export const DEFAULT_PORT = 5178;
export const RPC_PATH = '/rpc';

export interface ServerOptions {
  engine: Pick<AppEngine, 'dispatch' | 'media' | 'onEvent'>;
  /** The Vite build of the renderer (dist/renderer). */
  rendererDir: string;
  /** 127.0.0.1 unless the user asks for another interface. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When `port` is taken, listen on a free one instead of failing. */
  fallbackWhenTaken?: boolean;
  token?: string;
  maxMessageBytes?: number;
}

export interface RunningServer {
  /** What to open in a browser: the origin with the token. */
  url: string;
  origin: string;
  host: string;
  port: number;
  token: string;
  /** The asked port was taken and another was chosen. */
  portWasTaken: boolean;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const WILDCARD = new Set(['0.0.0.0', '::']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rpc = createRpcEndpoint(options.engine, options.maxMessageBytes);
  let rules: AccessRules = { token, port: 0, hosts: new Set() };

  const server = createServer((req, res) => {
    handleRequest(req, res, options, rules).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The server failed: ${(error as Error).message}\n`);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const access = checkAccess(req, rules, true);
    if (pathname !== RPC_PATH || !access.ok) {
      const reason = pathname !== RPC_PATH ? 'There is no WebSocket here.' : access.reason;
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${reason}\n`);
      return;
    }
    rpc.sockets.handleUpgrade(req, socket, head, (ws) => rpc.sockets.emit('connection', ws, req));
  });

  const asked = options.port ?? DEFAULT_PORT;
  let portWasTaken = false;
  try {
    await listen(server, asked, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !options.fallbackWhenTaken || asked === 0) throw portError(error, host, asked);
    portWasTaken = true;
    await listen(server, 0, host).catch((e) => Promise.reject(portError(e, host, 0)));
  }
  const port = (server.address() as AddressInfo).port;
  rules = { token, port, hosts: hostsFor(host, port) };
  const shown = WILDCARD.has(host) || host === 'localhost' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shown}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    portWasTaken,
    close: () =>
      new Promise<void>((resolveClose) => {
        rpc.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
}

function portError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new Error(`Port ${port} on ${host} is already in use; pick another with --port, or --port 0 for any free one.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new Error(`Cannot listen on ${host}: this machine has no such address.`);
  if (code === 'EACCES') return new Error(`Not allowed to listen on port ${port} of ${host}; ports below 1024 need privileges.`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Loopback names always; with a wildcard bind also this machine's addresses and name, so LAN URLs work. */
function hostsFor(host: string, port: number): Set<string> {
  const hosts = allowedHosts(host, port);
  if (WILDCARD.has(host)) {
    const names = [hostname(), ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address))];
    for (const name of names) hosts.add(`${name.includes(':') ? `[${name}]` : name}:${port}`.toLowerCase());
  }
  return hosts;
}

function textResponse(res: ServerResponse, status: number, headers: Record<string, string>, line: string): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(`${line}\n`);
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, options: ServerOptions, rules: AccessRules): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const access = checkAccess(req, rules);
  // The Host was checked before it is echoed into the policy; a refused request gets the policy without it.
  const headers = securityHeaders(contentSecurityPolicy(access.ok ? [`ws://${req.headers.host}`] : []));
  if (!access.ok) return textResponse(res, 403, headers, `Forbidden. ${access.reason}`);
  if (access.viaQuery && req.method === 'GET') {
    url.searchParams.delete('token');
    res.writeHead(302, { ...headers, 'Set-Cookie': sessionCookie(rules.port, rules.token), Location: url.pathname + url.search, 'Cache-Control': 'no-store' }).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return textResponse(res, 405, { ...headers, Allow: 'GET, HEAD' }, 'Only GET and HEAD are served here; calls go through the WebSocket.');
  if (url.pathname === RPC_PATH) return textResponse(res, 426, headers, 'This address takes a WebSocket connection.');
  if (url.pathname.startsWith(MEDIA_PREFIX)) {
    return serveMedia(options.engine, mediaRefFromPath(url.pathname), url.searchParams.get('download') === '1', res, headers);
  }
  const target = resolveStatic(options.rendererDir, url.pathname);
  if (target.kind === 'refused') return textResponse(res, 403, headers, 'Forbidden. That path is outside the app.');
  if (target.kind === 'not-found') {
    const built = existsSync(join(options.rendererDir, 'index.html'));
    return textResponse(res, 404, headers, built ? 'Not found.' : 'The app is not built yet: run "npx vite build --config renderer/vite.config.ts" in the VAE Studio folder.');
  }
  const immutable = url.pathname.startsWith('/assets/');
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentType(target.file),
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(target.file)
    .on('error', () => res.destroy())
    .pipe(res);
}
