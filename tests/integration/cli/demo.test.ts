// `vae-studio demo`, the first thing a newcomer runs: a project from the bundled images, trained briefly, with
// samples, reconstructions and an interpolation written and their paths printed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNotBlank, makeTempFolder } from '../files';
import { describeRun, ensureBuilt, expectError, runCli } from '../run-cli';

const tmp = makeTempFolder('demo');
const out = join(tmp.dir, 'my demo');

beforeAll(ensureBuilt);
afterAll(() => tmp.remove());

it('demo --epochs 1 writes samples.png, reconstructions.png and interpolation.gif and prints their paths', async () => {
  // Run from another folder than the repository: the bundled images must be found from the installation.
  const run = await runCli(['demo', '--out', out, '--epochs', '1'], { cwd: tmp.dir, timeoutMs: 110_000 });
  const where = describeRun(run);
  expect(run.code, where).toBe(0);
  // The bundled images are 64×64: the demo makes a project as `new` does (the spatial network) and starts from the
  // shipped model for it, and says so.
  expect(run.stderr, where).toMatch(/Starting from the shipped 64×64 model[^\n]*vae-64-l512-spatial\.weights/);

  const files = {
    samples: join(out, 'samples.png'),
    reconstructions: join(out, 'reconstructions.png'),
    interpolation: join(out, 'interpolation.gif'),
    project: join(out, 'demo.vaestudio'),
  };
  for (const [what, file] of Object.entries(files)) {
    expect(existsSync(file), `${what}: ${file}`).toBe(true);
    expect(run.stdout, `the ${what} path is printed\n${where}`).toContain(file);
  }
  const [samples, reconstructions, interpolation] = await Promise.all([
    sharp(files.samples).metadata(),
    sharp(files.reconstructions).metadata(),
    sharp(files.interpolation).metadata(),
  ]);
  expect(samples.format).toBe('png');
  expect(reconstructions.format).toBe('png');
  expect(interpolation.format).toBe('gif');
  expect(interpolation.pages, 'the interpolation is animated').toBeGreaterThan(1);
  // A sheet of several tiles, and originals above their reconstructions (two rows).
  expect(samples.width).toBeGreaterThan(2 * interpolation.width!);
  expect(interpolation.width, 'frames at the images\' own 64×64').toBe(64);
  expect(reconstructions.width).toBeGreaterThan(reconstructions.height!);
  await expectNotBlank(files.samples, 'samples are not blank');

  // Running it again into the same folder refuses, naming the project, and leaves the first demo alone.
  const before = readFileSync(files.samples);
  const again = await runCli(['demo', '--out', out, '--epochs', '1', '--json'], { cwd: tmp.dir });
  const message = expectError(again);
  expect(message).toContain(files.project);
  expect(readFileSync(files.samples).equals(before)).toBe(true);
});
