// The studio's engine as the local server runs it, on WebAssembly, with its folders inside a test's temp folder.
import { join } from 'node:path';
import type { AppEngine } from '../../../main/studio/api';
import { createAppEngine } from '../../../main/studio/engine';

export function createTestEngine(dir: string, projectsFolder = join(dir, 'projects')): AppEngine {
  return createAppEngine({ projectsFolder, exportsFolder: join(dir, 'exports'), configFolder: join(dir, 'config'), backend: 'wasm', host: 'server' });
}
