// The user's path (user-path.ts) in the Electron window. Electron's binary is downloaded lazily from GitHub on
// first use; where it is absent (these build machines have no access), this says so in one line and skips.
import { _electron as electron, type ElectronApplication, expect, type Page, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFolders, REPO, type StudioFolders } from './studio-fixture';
import { screenshotter, USER_PATH } from './user-path';

function electronBinary(): string | null {
  const pathFile = join(REPO, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(REPO, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary) console.log('Electron end-to-end: skipped, the Electron binary is not installed here (node_modules/electron/dist is missing).');

test.describe('desktop window', () => {
  test.describe.configure({ mode: 'serial' });
  test.skip(!binary, 'the Electron binary is not installed here');

  let app: ElectronApplication;
  let window: Page;
  let root: string;
  let folders: StudioFolders;

  test.beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vae-electron-'));
    folders = await makeFolders(root);
    app = await electron.launch({ executablePath: binary!, args: [REPO], env: { ...process.env, VAE_STUDIO_HOME: join(root, 'home') } });
    window = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('the window is sandboxed and served from app://', async () => {
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => (globalThis as unknown as { location: { protocol: string } }).location.protocol)).toBe('app:');
  });

  for (const step of USER_PATH) {
    test(step.title, async () => {
      await step.run(window, folders, screenshotter(window, 'electron-'));
    });
  }
});
