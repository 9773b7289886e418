// Who may talk to the local server: whoever holds the token printed at start (in the URL once, then in an
// HttpOnly cookie), through a Host this server answers to (against DNS rebinding), from this server's own
// Origin (against other pages in the same browser). Pure functions over request facts, tested without sockets.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Per port, so two servers on one machine do not overwrite each other's cookie (cookies ignore ports). */
export function cookieName(port: number): string {
  return `vae-studio-${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The host:port forms a browser may send for this server: loopback names, plus the bound host when asked. */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (!['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(boundHost)) {
    names.add(boundHost.includes(':') ? `[${boundHost}]` : boundHost);
  }
  return new Set([...names].map((name) => `${name}:${port}`.toLowerCase()));
}

export interface Access {
  ok: boolean;
  /** Why not, one sentence for the 403 page. */
  reason?: string;
  /** The token came in the query string: set the cookie and redirect to the same URL without it. */
  viaQuery?: boolean;
}

export interface AccessRules {
  token: string;
  port: number;
  hosts: Set<string>;
}

/**
 * Checks one request. `Origin` must be ours on WebSocket upgrades and on anything but GET/HEAD; a GET from a
 * link or the address bar carries none, which is fine, since the cookie is SameSite=Strict.
 */
export function checkAccess(req: Pick<IncomingMessage, 'headers' | 'method' | 'url'>, rules: AccessRules, isUpgrade = false): Access {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!rules.hosts.has(host)) return { ok: false, reason: `This server does not answer to the host "${host}".` };
  const origin = req.headers.origin;
  const originRequired = isUpgrade || !['GET', 'HEAD'].includes(req.method ?? 'GET');
  if ((origin !== undefined || originRequired) && origin?.toLowerCase() !== `http://${host}`) {
    return { ok: false, reason: 'Requests from other sites are refused.' };
  }
  const queryToken = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  if (queryToken !== null) {
    return sameToken(queryToken, rules.token) ? { ok: true, viaQuery: true } : { ok: false, reason: 'The token in this link is wrong: copy the link vae-studio serve printed.' };
  }
  if (sameToken(readCookie(req.headers.cookie, cookieName(rules.port)), rules.token)) return { ok: true };
  return { ok: false, reason: 'Open the link vae-studio serve printed (it carries the access token).' };
}
