// Store tests write real project files: each test gets its own folder, removed after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh empty folder for each test, removed after it. Call at the top of a test file or describe block. */
export function useTempFolder(): () => string {
  let folder: string | undefined;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });
  return () => (folder ??= mkdtempSync(join(tmpdir(), 'vae-store-')));
}
