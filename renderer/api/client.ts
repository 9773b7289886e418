// The one client the UI uses, over whichever host it runs in: the Electron bridge when present, else the
// local server's WebSocket on this origin.
import { createClient } from '../../shared/contract/client';
import { SERVICES } from '../../shared/services';
import { ElectronTransport } from './electron-transport';
import { type ConnectionState, rpcUrl, WsTransport } from './ws-transport';

const bridge = typeof window !== 'undefined' ? window.vaeStudio : undefined;
const wsTransport = bridge ? null : new WsTransport({ url: rpcUrl(window.location) });

export const api = createClient(SERVICES, bridge ? new ElectronTransport(bridge) : wsTransport!);
export type Api = typeof api;

/** Native dialogs exist only in Electron; the browser UI shows path fields instead. */
export const nativeDialogs = bridge ? { pickFolder: () => bridge.pickFolder(), pickFile: () => bridge.pickFile() } : null;

/** Connection state for the status line; Electron's bridge is always connected. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  if (!wsTransport) {
    listener('open');
    return () => {};
  }
  listener(wsTransport.state);
  return wsTransport.onStateChange(listener);
}
