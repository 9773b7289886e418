// The renderer's whole view of Electron: window.vaeStudio, a few named functions over two IPC channels. No
// ipcRenderer, no Node. Bundled as CommonJS (a sandboxed preload cannot load ES modules or other files).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { VaeStudioBridge } from '../../shared/contract/bridge';
import type { EventMessage, ReplyMessage } from '../../shared/contract/transport';
import { appMediaUrl } from './app-url';
import { EVENT_CHANNEL, HOST_CHANNEL, RPC_CHANNEL } from './ipc-channels';

const bridge: VaeStudioBridge = {
  async call(service, method, input) {
    const reply = (await ipcRenderer.invoke(RPC_CHANNEL, { service, method, input })) as ReplyMessage;
    if (reply.ok) return reply.output;
    throw { code: reply.error.code, message: reply.error.message };
  },
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, message: EventMessage) => listener(message.service, message.event, message.payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => void ipcRenderer.off(EVENT_CHANNEL, forward);
  },
  mediaUrl: (ref) => appMediaUrl(ref),
  pickFolder: () => ipcRenderer.invoke(HOST_CHANNEL, { op: 'pickFolder' }),
  pickFile: () => ipcRenderer.invoke(HOST_CHANNEL, { op: 'pickFile' }),
  showItemInFolder: (path) => ipcRenderer.invoke(HOST_CHANNEL, { op: 'showItemInFolder', path }),
};

contextBridge.exposeInMainWorld('vaeStudio', bridge);
