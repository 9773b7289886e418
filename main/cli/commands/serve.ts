// vae-studio serve: the local server host. The engine runs in this process; the browser gets the built renderer
// and a WebSocket, behind the token in the printed URL. Ctrl-C (or SIGTERM) stops jobs — training saves a
// checkpoint — and then exits.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppEngine } from '../../studio/engine';
import { studioFolders, studioHome } from '../../host/folders';
import { DEFAULT_PORT, isLoopback, startServer } from '../../server/server';
import { intFlag, parse, UsageError } from '../args';
import type { Command } from './types';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'vae-studio serve [--port N] [--host H] [--projects DIR] [--no-open] [--json]',
  summary: 'the studio in your browser: a local server on 127.0.0.1 behind a token',
  async run(argv, out, signal) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, projects: { type: 'string' }, 'no-open': { type: 'boolean' } });
    const port = intFlag(values.port, 'port') ?? DEFAULT_PORT;
    if (port < 0 || port > 65535) throw new UsageError(`--port must be between 0 and 65535, got ${port}`);
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const rendererDir = findRenderer();
    const folders = studioFolders(studioHome(), typeof values.projects === 'string' ? values.projects : undefined);
    const projectsFolder = folders.projectsFolder;

    const engine = await createAppEngine({ ...folders, host: 'server' });
    let server;
    try {
      server = await startServer({ engine, rendererDir, host, port, fallbackWhenTaken: values.port === undefined });
    } catch (error) {
      await engine.shutdown();
      throw error;
    }

    if (!isLoopback(host)) {
      process.stderr.write(`Warning: listening on ${host}, not just this computer. Anyone who can reach it and has the link can use VAE Studio, and the connection is not encrypted.\n`);
    }
    if (server.portWasTaken) out.say(`Port ${port} is in use; using ${server.port} instead.`);
    if (out.json) process.stdout.write(`${JSON.stringify({ event: 'ready', url: server.url, port: server.port, projectsFolder })}\n`);
    else process.stdout.write(`VAE Studio is running at ${server.url}\nProjects folder: ${projectsFolder}\nPress Ctrl-C to stop.\n`);
    if (!values['no-open'] && !out.json) openBrowser(server.url);

    await new Promise<void>((resolveStop) => (signal.aborted ? resolveStop() : signal.addEventListener('abort', () => resolveStop(), { once: true })));
    out.say('Stopping: saving training and closing the project…');
    await server.close();
    await engine.shutdown();
    out.result({ stopped: true }, 'VAE Studio stopped.');
  },
};

/**
 * dist/renderer beside the bundled CLI (dist/cli.js), or in the repository when run from source;
 * VAE_STUDIO_RENDERER_DIR serves another build (development, tests).
 */
function findRenderer(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const override = process.env.VAE_STUDIO_RENDERER_DIR;
  const candidates = override ? [resolve(override)] : [join(here, 'renderer'), resolve(here, '../../../dist/renderer')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) {
    throw new Error(`The app is not built: ${join(candidates[0], 'index.html')} is missing. Build it with "npx vite build --config renderer/vite.config.ts" in the VAE Studio folder, then serve again.`);
  }
  return found;
}

/** Best effort: a machine without a desktop (a remote GPU box) simply gets the printed link. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    spawn(command as string, args as string[], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  } catch {
    // The link is printed; opening it is a convenience.
  }
}
