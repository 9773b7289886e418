// A new 64×64 project starts from the shipped model (resources/generator) unless asked not to: after two steps its
// checkpoint already reconstructs images it never saw, where one started from random weights does not.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../main/engine/operations/evaluate';
import { importFolder } from '../../../main/engine/operations/import-folder';
import { train } from '../../../main/engine/operations/train';
import { openProject, type ProjectStore } from '../../../main/engine/store';
import { makeTempFolder, writeArtFolder } from '../files';

const tmp = makeTempFolder('shipped-start');
const images = join(tmp.dir, 'images');

beforeAll(async () => {
  await writeArtFolder(images, 60, 64, 21);
});
afterAll(() => tmp.remove());

async function project(name: string): Promise<ProjectStore> {
  const store = openProject(join(tmp.dir, name), { create: { kind: 'generate', imageSize: 64, latentSize: 128, appVersion: 'test' } });
  await importFolder(store, images);
  return store;
}

describe('the shipped starting point', () => {
  it('gives a new 64×64 project reconstructions from its first steps; --from-scratch starts from random weights', async () => {
    const shipped = await project('shipped.vaestudio');
    const scratch = await project('scratch.vaestudio');
    try {
      const notices: string[] = [];
      await train(shipped, { maxSteps: 2, batch: 16, seed: 1, backend: 'wasm' }, { onNotice: (line) => notices.push(line) });
      const scratchNotices: string[] = [];
      await train(scratch, { maxSteps: 2, batch: 16, seed: 1, fromScratch: true, backend: 'wasm' }, { onNotice: (line) => scratchNotices.push(line) });
      expect(notices.some((n) => n.includes('Starting from the shipped 64×64 model'))).toBe(true);
      expect(scratchNotices.some((n) => n.includes('shipped'))).toBe(false);
      const [fromShipped, fromScratch] = [await evaluate(shipped, { backend: 'wasm' }), await evaluate(scratch, { backend: 'wasm' })];
      console.log(`held-out PSNR after 2 steps: shipped start ${fromShipped.psnr.toFixed(2)} dB, from scratch ${fromScratch.psnr.toFixed(2)} dB`);
      expect(fromShipped.psnr).toBeGreaterThan(fromScratch.psnr + 3);

      // Resuming cannot start from scratch: the person is told how to get a new run.
      await expect(train(shipped, { maxSteps: 3, fromScratch: true, backend: 'wasm' })).rejects.toThrow(/--from-scratch .* add --new-run/);
    } finally {
      shipped.close();
      scratch.close();
    }
  }, 120_000);
});
