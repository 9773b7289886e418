// The one client the UI uses, over whichever host it runs in: the Electron bridge when present, else the
// local server's WebSocket on this origin. Created once at start-up (app/main.ts) and handed to the screen
// state through lib/studio.ts, so nothing talks to a host merely by being imported.
import { type Client, createClient } from '../../shared/contract/client';
import { SERVICES } from '../../shared/services';
import { ElectronTransport } from './electron-transport';
import { type ConnectionState, rpcUrl, WsTransport } from './ws-transport';

export type Api = Client<typeof SERVICES>;

/** Native dialogs exist only in Electron; the browser UI shows path fields instead. */
export interface NativeDialogs {
  pickFolder(): Promise<string | null>;
  pickFile(): Promise<string | null>;
}

export interface Connection {
  api: Api;
  nativeDialogs: NativeDialogs | null;
  /** Connection state for the status line; Electron's bridge is always connected. */
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
}

export function connect(win: Window): Connection {
  const bridge = win.vaeStudio;
  const wsTransport = bridge ? null : new WsTransport({ url: rpcUrl(win.location) });
  return {
    api: createClient(SERVICES, bridge ? new ElectronTransport(bridge) : wsTransport!),
    nativeDialogs: bridge ? { pickFolder: () => bridge.pickFolder(), pickFile: () => bridge.pickFile() } : null,
    onConnectionState(listener) {
      if (!wsTransport) {
        listener('open');
        return () => {};
      }
      listener(wsTransport.state);
      return wsTransport.onStateChange(listener);
    },
  };
}
