// Electron's main process wired against a stand-in 'electron' module (the real binary cannot be downloaded here):
// the security settings a user relies on are asserted where they are applied — the scheme registered before
// ready, the window's webPreferences, denied permissions, navigation and popups, the sender check on IPC, the
// app:// handler's refusals, and a quit that waits for the engine to save.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const state = {
    appRoot: '',
    isReady: false,
    schemes: [] as { scheme: string; privileges?: Record<string, boolean> }[],
    schemesBeforeReady: false,
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, (event: unknown, request: unknown) => unknown>(),
    windows: [] as { options: Record<string, any>; url: string; webContents: EventEmitter }[],
    permissionRequest: null as null | ((contents: unknown, permission: string, callback: (allow: boolean) => void) => void),
    permissionCheck: null as null | (() => boolean),
    engineMessages: [] as { type: string; text?: string }[],
    quits: 0,
  };
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: () => true,
    whenReady: () => ready,
    getAppPath: () => state.appRoot,
    getPath: (name: string) => join(state.appRoot, 'paths', name),
    quit: () => {
      state.quits++;
      const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      app.emit('before-quit', event);
    },
  });
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    static fromWebContents = () => BrowserWindow.all[0] ?? null;
    webContents = Object.assign(new Emitter(), { send: () => {} });
    url = '';
    constructor(readonly options: Record<string, any>) {
      BrowserWindow.all.push(this);
      state.windows.push(this as never);
    }
    once() {}
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    isDestroyed = () => false;
  }
  const utilityProcess = {
    fork: () => {
      const child = Object.assign(new Emitter(), {
        kill: () => true,
        postMessage(message: { type: string; text?: string }) {
          state.engineMessages.push(message);
          if (message.type === 'call') {
            const { id } = JSON.parse(message.text!);
            setTimeout(() => child.emit('message', { type: 'reply', text: JSON.stringify({ id, ok: true, output: { answered: true } }) }));
          }
          if (message.type === 'shutdown') setTimeout(() => child.emit('message', { type: 'shutdown-done' }));
        },
      });
      return child;
    },
  };
  const electron = {
    app,
    BrowserWindow,
    utilityProcess,
    dialog: { showMessageBox: async () => ({}), showErrorBox: () => {}, showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    shell: { showItemInFolder: () => {} },
    ipcMain: { handle: (channel: string, fn: (event: unknown, request: unknown) => unknown) => state.ipcHandlers.set(channel, fn) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: typeof state.schemes) => {
        state.schemes.push(...schemes);
        state.schemesBeforeReady = !state.isReady;
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        if (!state.isReady) throw new Error('protocol.handle before ready');
        state.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permissionRequest) => (state.permissionRequest = fn),
        setPermissionCheckHandler: (fn: typeof state.permissionCheck) => (state.permissionCheck = fn),
      },
    },
  };
  return { state, electron, markReady: () => { state.isReady = true; markReady(); } };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const root = mkdtempSync(join(tmpdir(), 'vae-electron-main-'));
mkdirSync(join(root, 'dist', 'renderer'), { recursive: true });
writeFileSync(join(root, 'dist', 'renderer', 'index.html'), '<!doctype html><title>VAE Studio</title>');
writeFileSync(join(root, 'secret.txt'), 'secret');
fake.state.appRoot = root;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const { state } = fake;
await import('./main');

describe('before the app is ready', () => {
  it('registers app:// as a standard, secure scheme, as Electron requires, before ready', () => {
    expect(state.schemesBeforeReady).toBe(true);
    expect(state.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
  });
});

describe('once ready', async () => {
  fake.markReady();
  await vi.waitFor(() => expect(state.windows).toHaveLength(1));
  const window = state.windows[0];

  it('opens one isolated, sandboxed window without Node on app://studio', () => {
    expect(window.url).toBe('app://studio/index.html');
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(window.options.webPreferences.preload).toBe(join(root, 'dist', 'electron', 'preload.cjs'));
  });

  it('denies every permission request and check', () => {
    let allowed: boolean | undefined;
    state.permissionRequest!(null, 'media', (allow) => (allowed = allow));
    expect(allowed).toBe(false);
    expect(state.permissionCheck!()).toBe(false);
  });

  it('denies new windows, navigation and webviews in every web contents', () => {
    const contents = Object.assign(new EventEmitter(), { handler: null as null | (() => unknown), setWindowOpenHandler(fn: () => unknown) { this.handler = fn; } });
    fake.electron.app.emit('web-contents-created', {}, contents);
    expect(contents.handler!()).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      contents.emit(event, e, 'https://evil.example/');
      expect(e.preventDefault, event).toHaveBeenCalled();
    }
  });

  it('forwards rpc calls from our page to the engine, and refuses any other sender', async () => {
    const rpc = state.ipcHandlers.get('rpc')!;
    const fromApp = { senderFrame: { url: 'app://studio/index.html', parent: null }, sender: window.webContents };
    expect(await rpc(fromApp, { service: 'projects', method: 'recent', input: {} })).toMatchObject({ ok: true, output: { answered: true } });
    const fromElsewhere = { senderFrame: { url: 'https://evil.example/', parent: null }, sender: window.webContents };
    expect(await rpc(fromElsewhere, { service: 'projects', method: 'recent', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const fromSubframe = { senderFrame: { url: 'app://studio/index.html', parent: {} }, sender: window.webContents };
    expect(await rpc(fromSubframe, { service: 'projects', method: 'recent', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(Promise.resolve().then(() => state.ipcHandlers.get('host')!(fromElsewhere, { op: 'pickFolder' }))).rejects.toThrow(/Only the VAE Studio window/);
  });

  it('serves the app over app:// with its CSP, and refuses paths out of it', async () => {
    const handle = state.protocolHandlers.get('app')!;
    const page = await handle(new Request('app://studio/'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>VAE Studio</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await handle(new Request('app://studio/..%2f..%2fsecret.txt'))).status).toBe(403);
    expect((await handle(new Request('app://other/index.html'))).status).toBe(403);
  });

  it('quitting first asks the engine to shut down (training saves), then quits', async () => {
    fake.electron.app.quit();
    fake.electron.app.quit();
    expect(state.engineMessages.filter((m) => m.type === 'shutdown')).toHaveLength(1);
    // Two asked-for quits, then the one made after the engine said it was done.
    await vi.waitFor(() => expect(state.quits).toBe(3));
  });
});
