// Files shipped in resources/ (pretrained weights, the demo's images), found from the source tree or from the
// bundles in dist/ — each bundle sits at its own depth, so the search walks up a few levels.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The path of resources/<parts…>, or undefined when this installation lacks it. */
export function resourcePath(...parts: string[]): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['..', '../..', '../../..', '../../../..']) {
    const path = resolve(here, up, 'resources', ...parts);
    if (existsSync(path)) return path;
  }
  return undefined;
}
