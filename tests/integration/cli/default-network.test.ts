// What a newcomer gets without choosing: `new` makes a 64×64 project with latent 512, which trains the spatial
// network (an 8×8 grid of 8 latent channels: the sharpest reconstructions) from its shipped 64×64 model; a project
// made with latent 128 trains the classic network from the classic shipped model, as before.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder, writeArtFolder } from '../files';
import { ensureBuilt, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('default-network');
const images = join(tmp.dir, 'images');

interface Info {
  imageSize: number;
  latentSize: number;
  runs: { config: { network?: string } }[];
}

async function trainNew(name: string, flags: string[]): Promise<{ info: Info; output: string }> {
  const project = join(tmp.dir, name);
  expectResult(await runCli(['new', project, ...flags, '--json']));
  expectResult(await runCli(['import', project, images, '--json']));
  const run = await runCli(['train', project, '--max-steps', '2', '--batch', '8', '--json']);
  expectResult(run);
  return { info: expectResult<Info>(await runCli(['info', project, '--json'])), output: run.stdout + run.stderr };
}

beforeAll(async () => {
  await ensureBuilt();
  await writeArtFolder(images, 24, 64, 40);
});
afterAll(() => tmp.remove());

describe('the network a new project trains', () => {
  it('is the spatial one for a project made with the defaults, from the shipped spatial model', async () => {
    const { info, output } = await trainNew('defaults.vaestudio', []);
    expect(info).toMatchObject({ imageSize: 64, latentSize: 512 });
    expect(info.runs[0].config.network).toBe('spatial');
    expect(output).toMatch(/Starting from the shipped 64×64 model[^"]*vae-64-l512-spatial\.weights/);
  });

  it('is the classic one, from the shipped model, for a latent of 128', async () => {
    const { info, output } = await trainNew('latent128.vaestudio', ['--latent', '128']);
    expect(info.runs[0].config.network).toBe('classic');
    expect(output).toMatch(/Starting from the shipped 64×64 model[^"]*vae-64-l128-classic\.weights/);
  });
});
