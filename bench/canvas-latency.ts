// Live decode on the Explore canvas, measured through the real UI: `vae-studio serve` + Debian's Chromium,
// the default 64×64 model (latent 128), pointer moves on the latent map, time from each pointermove event to
// the preview canvas drawing new pixels (its data-frame attribute changes). Target: p95 ≤ 33 ms.
// The same run measures the engine's decode call alone over the same WebSocket as the reference, so the
// printed overhead says how much the UI path adds.
//   npm run bench:canvas    (needs /usr/bin/chromium or CHROMIUM_PATH)
import { chromium, type Page } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const NODE = existsSync(join(REPO, 'node_modules/.bin/node')) ? join(REPO, 'node_modules/.bin/node') : process.execPath;
const CLI = join(REPO, 'bin/vae-studio.js');
const MOVES = Number(process.env.MOVES ?? 200);

function cli(args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(NODE, [CLI, ...args], { cwd: REPO, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vae-studio ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  max ${s[s.length - 1].toFixed(1)} ms  (n=${s.length})`;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => void }> {
  const child = spawn(NODE, [CLI, 'serve', '--port', '0', '--json', '--no-open'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  const url = await new Promise<string>((ok, fail) => {
    child.stdout.on('data', (d) => {
      buffer += d;
      const m = buffer.match(/"event":"ready".*?"url":"([^"]+)"/);
      if (m) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

// The in-page parts are plain JavaScript sources: functions passed from here would carry the TypeScript
// loader's helpers (e.g. __name) into the page, where they do not exist.

/**
 * Installed in the page: for each new preview frame, the time since the browser created the pointermove event
 * that it answers (the newest move before the frame; moves are made one at a time, so that is the one).
 */
const RECORD_LATENCIES = `(() => {
  if (window.__latencies) { window.__latencies = []; return; }
  const map = document.querySelector('[data-testid="latent-map"]');
  const preview = document.querySelector('[data-testid="decode-preview"]');
  window.__latencies = [];
  let lastMove = null;
  map.addEventListener('pointermove', (e) => { lastMove = e.timeStamp; }, { capture: true });
  new MutationObserver(() => {
    if (lastMove !== null) window.__latencies.push(performance.now() - lastMove);
    lastMove = null;
  }).observe(preview, { attributes: true, attributeFilter: ['data-frame'] });
})()`;

/** The engine's decode alone, over a WebSocket of the page's own: the reference for the UI path. */
const DECODE_CALLS = `async ({ latent, calls }) => {
  const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/rpc');
  await new Promise((ok) => ws.addEventListener('open', ok, { once: true }));
  const times = [];
  for (let i = 0; i < calls; i++) {
    const z = Array.from({ length: latent }, (_, j) => Math.sin(i * 7 + j));
    const start = performance.now();
    ws.send(JSON.stringify({ id: i, service: 'explore', method: 'decode', input: { latent: z } }));
    await new Promise((ok) => ws.addEventListener('message', ok, { once: true }));
    times.push(performance.now() - start);
  }
  ws.close();
  return times;
}`;

/** Real pointer input (Chromium's input pipeline, as a user's mouse), one move at a time along a wavy path. */
async function pointerToPixels(page: Page, moves: number): Promise<number[]> {
  const box = (await page.getByTestId('latent-map').boundingBox())!;
  const frame = () => page.getByTestId('decode-preview').getAttribute('data-frame');
  await page.evaluate(RECORD_LATENCIES);
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
  await page.mouse.down();
  for (let i = 0; i < moves; i++) {
    const t = (i + 1) / moves;
    const before = await frame();
    await page.mouse.move(box.x + box.width * (0.1 + 0.8 * t), box.y + box.height * (0.5 + 0.35 * Math.sin(t * 12)));
    const until = Date.now() + 5000;
    while ((await frame()) === before && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
  }
  await page.mouse.up();
  return page.evaluate('window.__latencies') as Promise<number[]>;
}

function decodeCalls(page: Page, latent: number, calls: number): Promise<number[]> {
  return page.evaluate(`(${DECODE_CALLS})(${JSON.stringify({ latent, calls })})`) as Promise<number[]>;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'vae-canvas-bench-'));
  const env = { ...process.env, VAE_STUDIO_HOME: join(root, 'home') };
  const project = join(root, 'bench.vaestudio');
  try {
    console.log('Preparing a 64×64, latent-128 project with one checkpoint (sample dataset, a few steps)…');
    cli(['new', project, '--size', '64', '--latent', '128'], env);
    cli(['import', project, join(REPO, 'resources/sample-dataset')], env);
    cli(['train', project, '--max-steps', '3', '--batch', '32'], env);
    const server = await startServer(env);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      await page.getByTestId('open-project-path').fill(project);
      await page.getByTestId('open-project-open').click();
      await page.getByTestId('nav-explore').click();
      await page.getByTestId('latent-map').waitFor({ state: 'visible', timeout: 120_000 });
      await page.waitForFunction(`document.querySelector('[data-testid="latent-map"]')?.width > 0`);
      await pointerToPixels(page, 20); // warm-up: first calls build the inference plan
      const ui = await pointerToPixels(page, MOVES);
      const engine = await decodeCalls(page, 128, MOVES);
      const p95 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 95);
      console.log(`\nlive decode, default 64×64 model (latent 128), ${MOVES} pointer moves, Chromium headless`);
      console.log(`  pointer → new pixels (UI):  ${summary(ui)}`);
      console.log(`  decode call alone (WS RPC): ${summary(engine)}`);
      console.log(`  UI path / decode call at p95: ${(p95(ui) / p95(engine)).toFixed(2)}x`);
      console.log(`  target p95 ≤ 33 ms: ${p95(ui) <= 33 ? 'met' : 'NOT met'} (${((p95(ui) / 33) * 100).toFixed(0)}% of budget)`);
    } finally {
      await browser.close();
      server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
