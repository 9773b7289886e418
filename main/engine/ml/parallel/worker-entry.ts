// Where a worker thread's script is: the bundled file next to the CLI (dist/<name>.js), or the TypeScript
// source run through tsx when the engine itself runs from source (tests, tsx scripts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `sourceUrl` is the worker's .ts source as a URL relative to the caller; `bundled` its dist name. */
export function workerEntry(sourceUrl: URL, bundled: string, callerUrl: string): { url: URL; execArgv: string[] } {
  if (callerUrl.endsWith('.ts')) return { url: sourceUrl, execArgv: ['--import', 'tsx'] };
  for (const rel of [`./${bundled}`, `../${bundled}`]) {
    const url = new URL(rel, callerUrl);
    if (existsSync(fileURLToPath(url))) return { url, execArgv: [] };
  }
  throw new Error(`The training worker (${bundled}) is missing from this installation`);
}
