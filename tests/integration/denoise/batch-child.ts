// Child process for batch-crash.test.ts: runs a denoise batch, so the test can SIGKILL it part-way and run it
// again. Each call appends the file's name to a counter file. The denoiser is a stand-in that sleeps a little (so
// a kill lands mid-batch) and returns the input's bytes inverted, or with DENOISER=model the project's real
// denoiser (the shipped weights on a new denoise project), as `vae-studio denoise` runs it.
// Usage: [DENOISER=model] batch-child <project> <input> <output> <counter file> <sleep ms>
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openProject } from '../../../main/engine/store/open';
import { openDenoiser } from '../../../main/engine/operations/denoiser-session';
import { runDenoiseBatch } from '../../../main/engine/denoise/batch';

const [project, input, output, counter, sleepMs] = process.argv.slice(2);
if (!project || !input || !output || !counter) throw new Error('usage: batch-child <project> <input> <output> <counter> [sleep ms]');

const store = openProject(project);
const session = process.env.DENOISER === 'model' ? await openDenoiser(store, { backend: 'wasm', threads: 1 }) : undefined;
try {
  const result = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, async (absIn) => {
    appendFileSync(counter, `${path.relative(input, absIn)}\n`);
    await new Promise((resolve) => setTimeout(resolve, Number(sleepMs ?? 0)));
    if (session) return (await session.denoise(await readFile(absIn))).bytes;
    return (await readFile(absIn)).map((b) => 255 - b);
  });
  process.stdout.write(`${JSON.stringify({ result })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message, code: (err as { code?: string }).code })}\n`);
  process.exitCode = 2;
} finally {
  await session?.close();
  store.close();
}
