// Child process for batch.test.ts: runs a denoise batch with a stand-in denoiser, so the test can SIGKILL it
// part-way and run it again. The stand-in appends the file's name to a counter file each time it is called,
// sleeps a little (so a kill lands mid-batch), and returns the input's bytes inverted (deterministic).
// Usage: batch-child <project> <input> <output> <counter file> <sleep ms>
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openProject } from '../../store/open';
import { runDenoiseBatch } from '../batch';

const [project, input, output, counter, sleepMs] = process.argv.slice(2);
if (!project || !input || !output || !counter) throw new Error('usage: batch-child <project> <input> <output> <counter> [sleep ms]');

const store = openProject(project);
try {
  const result = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, async (absIn) => {
    appendFileSync(counter, `${path.relative(input, absIn)}\n`);
    await new Promise((resolve) => setTimeout(resolve, Number(sleepMs ?? 0)));
    return (await readFile(absIn)).map((b) => 255 - b);
  });
  process.stdout.write(`${JSON.stringify({ result })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message, code: (err as { code?: string }).code })}\n`);
  process.exitCode = 2;
} finally {
  store.close();
}
