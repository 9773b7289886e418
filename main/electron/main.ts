// Electron's main process: one window, the engine in a utilityProcess, app:// for the renderer, and a quit that
// waits for the engine to save training. Thin on purpose: everything real happens in the engine.
import { app, BrowserWindow, dialog } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { studioFolders, studioHome } from '../host/folders';
import { handleAppProtocol, registerAppScheme } from './app-protocol-handler';
import { EngineProcess } from './engine-process';
import { broadcastEvent, registerIpc } from './ipc';
import { createMainWindow, denyAllPermissions, hardenApp } from './window';

// Before ready, as Electron requires: app:// gets the standard-scheme privileges (origin, fetch, secure context).
registerAppScheme();
hardenApp();

let engine: EngineProcess | null = null;
let engineStopped = false;

function mainWindow(): BrowserWindow | null {
  return BrowserWindow.getAllWindows()[0] ?? null;
}

function openWindow(): void {
  createMainWindow(join(app.getAppPath(), 'dist', 'electron', 'preload.cjs'));
}

function engineCrashed(message: string, restarted: boolean): void {
  // The restarted engine has no project open; this contract event sends the renderer back to its start screen.
  if (restarted) broadcastEvent(JSON.stringify({ service: 'projects', event: 'changed', payload: { project: null } }));
  const detail = restarted
    ? 'A fresh engine has started. Open your project again; training resumes from its last checkpoint.'
    : 'It stopped three times within a minute, so it was not restarted. Quit and reopen VAE Studio; if this keeps happening, run "npx vae-studio info <project>" in a terminal to see the error.';
  const window = mainWindow();
  const box = { type: 'error' as const, title: 'VAE Studio', message, detail };
  void (window ? dialog.showMessageBox(window, box) : dialog.showMessageBox(box));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = mainWindow();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  void app.whenReady().then(() => {
    const rendererDir = join(app.getAppPath(), 'dist', 'renderer');
    if (!existsSync(join(rendererDir, 'index.html'))) {
      dialog.showErrorBox('VAE Studio', `The app is not built: ${join(rendererDir, 'index.html')} is missing. Run "npm start" from the VAE Studio folder; it builds the app first.`);
      engineStopped = true;
      app.quit();
      return;
    }
    denyAllPermissions();
    // Documents/VAE Studio for projects, settings where the OS keeps app data; VAE_STUDIO_HOME (tests) moves both.
    const folders = process.env.VAE_STUDIO_HOME
      ? studioFolders(studioHome())
      : { ...studioFolders(join(app.getPath('documents'), 'VAE Studio')), configFolder: app.getPath('userData') };
    engine = new EngineProcess({
      modulePath: join(app.getAppPath(), 'dist', 'electron', 'engine-host.js'),
      engineOptions: { ...folders, host: 'electron' },
      onEvent: broadcastEvent,
      onCrash: engineCrashed,
    });
    engine.start();
    handleAppProtocol(rendererDir, engine);
    registerIpc(engine);
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => app.quit());

  // Quit waits for the engine to stop its jobs (training writes a checkpoint), then really quits; asking to quit
  // again meanwhile changes nothing.
  let stopping: Promise<void> | null = null;
  app.on('before-quit', (event) => {
    if (engineStopped || !engine) return;
    event.preventDefault();
    stopping ??= engine.shutdown().finally(() => {
      engineStopped = true;
      app.quit();
    });
  });
}
