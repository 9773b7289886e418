// `vae-studio serve` as a user starts it: the printed link opens the app (after the token becomes a cookie), the
// socket talks to the real engine, and Ctrl-C stops it cleanly. The renderer here is a stand-in page, so this
// test does not depend on the Vite build.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { makeTempFolder } from '../files';
import { type CliProcess, ensureBuilt, expectError, runCli, startCli } from '../run-cli';

const tmp = makeTempFolder('serve');
const home = join(tmp.dir, 'home');
const renderer = join(tmp.dir, 'renderer');
mkdirSync(renderer, { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>VAE Studio</title><p>stand-in app</p>');
const env = { VAE_STUDIO_HOME: home, VAE_STUDIO_RENDERER_DIR: renderer };

beforeAll(ensureBuilt);
afterAll(() => tmp.remove());

async function ready(serve: CliProcess): Promise<{ url: string; port: number }> {
  const readyLine = (p: CliProcess) => p.eventsSoFar().find((e) => (e.event as string) === 'ready') as { url: string; port: number } | undefined;
  await serve.waitFor((p) => readyLine(p) !== undefined, 'the ready line', 60_000);
  return readyLine(serve)!;
}

function rpc(url: string, cookie: string, call: object): Promise<Record<string, unknown>> {
  const origin = new URL(url).origin;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, { headers: { origin, cookie } });
    ws.once('open', () => ws.send(JSON.stringify(call)));
    ws.once('message', (data) => {
      resolve(JSON.parse(data.toString()));
      ws.close();
    });
    ws.once('error', reject);
  });
}

describe('vae-studio serve', () => {
  it('prints a ready line whose link opens the app, talks to the real engine, and stops on Ctrl-C', async () => {
    const serve = startCli(['serve', '--port', '0', '--no-open', '--json'], { env });
    try {
      const { url } = await ready(serve);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);

      expect((await fetch(new URL(url).origin)).status, 'without the token').toBe(403);
      const redirect = await fetch(url, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      const cookie = redirect.headers.get('set-cookie')!.split(';')[0];
      const page = await fetch(new URL(redirect.headers.get('location')!, url), { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('stand-in app');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");

      const reply = await rpc(url, cookie, { id: 1, service: 'projects', method: 'host', input: {} });
      expect(reply).toMatchObject({ id: 1, ok: true, output: { host: 'server', projectsFolder: home } });
      const refused = await rpc(url, cookie, { id: 2, service: 'projects', method: 'open', input: { path: 'relative.vaestudio' } });
      expect(refused).toMatchObject({ id: 2, ok: false, error: { code: 'invalid-input' } });
    } finally {
      serve.child.kill('SIGINT');
    }
    const run = await serve.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.at(-1)).toMatchObject({ event: 'result', stopped: true });
  });

  it('says how to build the app when it is not built', async () => {
    const message = expectError(await runCli(['serve', '--port', '0', '--json'], { env: { ...env, VAE_STUDIO_RENDERER_DIR: join(tmp.dir, 'nothing') } }));
    expect(message).toMatch(/not built.*vite build --config renderer\/vite.config.ts/);
  });

  it('refuses a port that is not one', async () => {
    expect(expectError(await runCli(['serve', '--port', '70000', '--json'], { env }))).toMatch(/--port must be between 0 and 65535/);
  });
});
