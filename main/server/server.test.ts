// The local server as a browser (and a hostile page) meets it: token, cookie, Host and Origin checks, static files
// with their policy, media, and the RPC socket, over real sockets against a small fake engine.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RpcError } from '../../shared/contract/define';
import type { AppEngine, EventListener } from '../studio/api';
import { cookieName } from './auth';
import { type RunningServer, startServer } from './server';

const root = mkdtempSync(join(tmpdir(), 'vae-server-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>VAE Studio</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'not for browsers');
symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'link.txt'));

const listeners = new Set<EventListener>();
const fakeEngine: Pick<AppEngine, 'dispatch' | 'media' | 'onEvent'> = {
  async dispatch(service, method, input) {
    if (service === 'echo' && method === 'say') return { heard: input };
    if (service === 'echo' && method === 'slow') return new Promise((r) => setTimeout(() => r({ slow: true }), 300));
    throw new RpcError('not-found', `There is no service called "${service}".`);
  },
  async media(ref) {
    return ref === 'thumb/1' ? { mime: 'image/png', bytes: Buffer.from('PNGBYTES'), filename: 'thumb 1.png' } : null;
  },
  onEvent(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const MAX_MESSAGE = 64 * 1024;
let server: RunningServer;
let cookie: string;

beforeAll(async () => {
  server = await startServer({ engine: fakeEngine, rendererDir, port: 0, maxMessageBytes: MAX_MESSAGE });
  cookie = `${cookieName(server.port)}=${server.token}`;
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: paths are sent exactly as written (no URL normalisation), headers exactly as given. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

const withCookie = (extra: Record<string, string> = {}) => ({ cookie, ...extra });

function connect(headers: Record<string, string> = { cookie: '' }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { headers: { origin: `http://127.0.0.1:${server.port}`, ...headers } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('access', () => {
  it('the printed URL is on loopback and carries a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it('refuses a request with no token, with a one-line explanation', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(403);
    expect(answer.body.trim().split('\n')).toHaveLength(1);
    expect(answer.body).toMatch(/link vae-studio serve printed/);
  });

  it('refuses a wrong token, in the URL or in the cookie', async () => {
    expect((await get('/?token=nope')).status).toBe(403);
    expect((await get('/', { cookie: `${cookieName(server.port)}=${'x'.repeat(43)}` })).status).toBe(403);
  });

  it('the right token sets an HttpOnly, SameSite=Strict cookie and redirects to the same path without it', async () => {
    const answer = await get(`/explore?token=${server.token}&tab=map`);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/explore?tab=map');
    const setCookie = String(answer.headers['set-cookie']);
    expect(setCookie).toContain(`${cookieName(server.port)}=${server.token}`);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
  });

  it('refuses a Host it does not answer to (DNS rebinding), even with the cookie', async () => {
    const answer = await get('/', withCookie({ host: `evil.example:${server.port}` }));
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/does not answer to the host/);
  });

  it('refuses a request from another Origin, even with the cookie', async () => {
    expect((await get('/', withCookie({ origin: 'http://evil.example' }))).status).toBe(403);
    expect((await get('/', withCookie({ origin: `http://127.0.0.1:${server.port}` }))).status).toBe(200);
  });

  it('answers on localhost too, whose origin is then its own', async () => {
    const answer = await get('/', withCookie({ host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` }));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toContain(`ws://localhost:${server.port}`);
  });
});

describe('static files', () => {
  it('serves index.html with a strict Content-Security-Policy and nosniff', async () => {
    const answer = await get('/', withCookie());
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>VAE Studio</title>');
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(answer.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "img-src 'self' data: blob:"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their type, and app routes fall back to index.html', async () => {
    const asset = await get('/assets/app.js', withCookie());
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.body).toBe('console.log(1)');
    expect((await get('/train/run', withCookie())).body).toContain('<title>VAE Studio</title>');
    expect((await get('/assets/missing.js', withCookie())).status).toBe(404);
  });

  it('refuses paths that climb out of the app folder, however they are spelled', async () => {
    for (const path of ['/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/link.txt', '/%00']) {
      const answer = await get(path, withCookie());
      expect(answer.status, path).toBe(403);
      expect(answer.body, path).not.toContain('not for browsers');
    }
  });

  it('accepts only GET and HEAD', async () => {
    const answer = await get('/', withCookie({ origin: `http://127.0.0.1:${server.port}` }), 'POST');
    expect(answer.status).toBe(405);
  });
});

describe('media', () => {
  it('serves what the engine has, with its type, and as a named download when asked', async () => {
    const answer = await get('/media/thumb/1?download=1', withCookie());
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('PNGBYTES');
    expect(answer.headers['content-type']).toBe('image/png');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="thumb 1.png"/);
    expect((await get('/media/thumb/1', withCookie())).headers['content-disposition']).toBeUndefined();
  });

  it('an unknown or malformed reference is not found', async () => {
    expect((await get('/media/thumb/2', withCookie())).status).toBe(404);
    expect((await get('/media/..%2f..%2fsecret.txt', withCookie())).status).toBe(404);
  });

  it('needs the token like everything else', async () => {
    expect((await get('/media/thumb/1')).status).toBe(403);
  });
});

describe('rpc', () => {
  it('refuses a socket without the token or from another Origin', async () => {
    await expect(connect({ cookie: '' })).rejects.toThrow(/403/);
    await expect(connect({ cookie, origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ cookie, origin: '' })).rejects.toThrow(/403/);
  });

  it('answers calls by id, a slow one not blocking a quick one, with errors as {code, message}', async () => {
    const ws = await connect({ cookie });
    const replies: Record<string, unknown>[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ id: 1, service: 'echo', method: 'slow', input: {} }));
    ws.send(JSON.stringify({ id: 2, service: 'echo', method: 'say', input: { text: 'hello' } }));
    ws.send(JSON.stringify({ id: 3, service: 'nothing', method: 'here', input: {} }));
    await expect.poll(() => replies.length).toBe(3);
    expect(replies[0]).toEqual({ id: 2, ok: true, output: { heard: { text: 'hello' } } });
    expect(replies[1]).toEqual({ id: 3, ok: false, error: { code: 'not-found', message: 'There is no service called "nothing".' } });
    expect(replies[2]).toEqual({ id: 1, ok: true, output: { slow: true } });
    ws.close();
  });

  it('a malformed message gets an error reply and the connection stays usable', async () => {
    const ws = await connect({ cookie });
    ws.send('{not json');
    expect(await nextMessage(ws)).toMatchObject({ id: -1, ok: false, error: { code: 'invalid-input', message: 'The message is not valid JSON.' } });
    ws.send(JSON.stringify({ id: 4, service: 'echo', method: 42 }));
    expect(await nextMessage(ws)).toMatchObject({ id: 4, ok: false, error: { code: 'invalid-input' } });
    ws.send(JSON.stringify({ id: 5, service: 'echo', method: 'say', input: 'again' }));
    expect(await nextMessage(ws)).toEqual({ id: 5, ok: true, output: { heard: 'again' } });
    ws.close();
  });

  it('an oversize message closes that socket (1009) before it is read whole', async () => {
    const ws = await connect({ cookie });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ id: 6, service: 'echo', method: 'say', input: 'x'.repeat(MAX_MESSAGE) }));
    expect(await closed).toBe(1009);
  });

  it('broadcasts engine events to every connected socket', async () => {
    const [a, b] = await Promise.all([connect({ cookie }), connect({ cookie })]);
    const heard = Promise.all([nextMessage(a), nextMessage(b)]);
    for (const listener of listeners) listener('jobs', 'progress', { jobId: 'j1', fraction: 0.5 });
    for (const message of await heard) expect(message).toEqual({ service: 'jobs', event: 'progress', payload: { jobId: 'j1', fraction: 0.5 } });
    a.close();
    b.close();
  });
});
