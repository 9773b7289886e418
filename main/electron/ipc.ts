// The two IPC channels a window may use: 'rpc' (any contract call, forwarded to the engine process) and 'host'
// (native dialogs, show in folder). Each checks that the sender is our app:// page before anything else.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, shell } from 'electron';
import type { ReplyMessage } from '../../shared/contract/transport';
import type { EngineProcess } from './engine-process';
import { EVENT_CHANNEL, HOST_CHANNEL, RPC_CHANNEL } from './ipc-channels';
import { checkHostRequest, isTrustedSender } from './security';


function trusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(frame ? { url: frame.url, isTopFrame: frame.parent === null } : null);
}

const FORBIDDEN_MESSAGE = 'Only the VAE Studio window may call the engine.';
const FORBIDDEN: ReplyMessage = { id: -1, ok: false, error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };

export function registerIpc(engine: EngineProcess): void {
  ipcMain.handle(RPC_CHANNEL, (event, request: unknown) => (trusted(event) ? engine.call(request) : FORBIDDEN));

  ipcMain.handle(HOST_CHANNEL, async (event, request: unknown) => {
    if (!trusted(event)) throw new Error(FORBIDDEN_MESSAGE);
    const checked = checkHostRequest(request);
    if ('error' in checked) throw new Error(checked.error);
    const window = BrowserWindow.fromWebContents(event.sender);
    switch (checked.op) {
      case 'pickFolder':
      case 'pickFile': {
        const options: Electron.OpenDialogOptions =
          checked.op === 'pickFolder'
            ? { title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] }
            : { title: 'Choose an image', properties: ['openFile'], filters: [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'tif', 'tiff', 'avif'] }, { name: 'VAE Studio projects', extensions: ['vaestudio'] }, { name: 'All files', extensions: ['*'] }] };
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      }
      case 'showItemInFolder':
        shell.showItemInFolder(checked.path);
        return null;
    }
  });
}

/** Sends an engine event (EventMessage JSON text) to every window. */
export function broadcastEvent(text: string): void {
  const message = JSON.parse(text) as unknown;
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, message);
  }
}
