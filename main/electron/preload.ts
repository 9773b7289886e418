// The renderer's whole view of Electron: window.vaeStudio, a few named functions over two IPC channels. No
// ipcRenderer, no Node. Bundled as CommonJS (a sandboxed preload cannot load ES modules or other files).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventMessage, ReplyMessage } from '../../shared/contract/transport';
import { appMediaUrl } from './app-url';
import { EVENT_CHANNEL, HOST_CHANNEL, RPC_CHANNEL } from './ipc-channels';

const bridge = {
  /** Resolves with the method's output; rejects with {code, message} like the WebSocket transport. */
  async call(service: string, method: string, input: unknown): Promise<unknown> {
    const reply = (await ipcRenderer.invoke(RPC_CHANNEL, { service, method, input })) as ReplyMessage;
    if (reply.ok) return reply.output;
    throw { code: reply.error.code, message: reply.error.message };
  },
  onEvent(listener: (service: string, event: string, payload: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, message: EventMessage) => listener(message.service, message.event, message.payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => void ipcRenderer.off(EVENT_CHANNEL, forward);
  },
  mediaUrl: (ref: string): string => appMediaUrl(ref),
  pickFolder: (): Promise<string | null> => ipcRenderer.invoke(HOST_CHANNEL, { op: 'pickFolder' }),
  pickFile: (): Promise<string | null> => ipcRenderer.invoke(HOST_CHANNEL, { op: 'pickFile' }),
  showItemInFolder: (path: string): Promise<null> => ipcRenderer.invoke(HOST_CHANNEL, { op: 'showItemInFolder', path }),
};

export type VaeStudioBridge = typeof bridge;

contextBridge.exposeInMainWorld('vaeStudio', bridge);
