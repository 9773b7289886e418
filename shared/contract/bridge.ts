// The desktop window's view of Electron: what main/electron/preload.ts exposes as window.vaeStudio and
// renderer/api/electron-transport.ts reads. Declared once here, so the two sides cannot drift apart.

/** Receives every engine event as (service, event, payload), as the WebSocket transport delivers them. */
export type BridgeEventListener = (service: string, event: string, payload: unknown) => void;

export interface VaeStudioBridge {
  /** Resolves with the method's output; rejects with {code, message} like the WebSocket transport. */
  call(service: string, method: string, input: unknown): Promise<unknown>;
  /** Starts forwarding events; the returned function stops it. */
  onEvent(listener: BridgeEventListener): () => void;
  /** The app:// URL of a media ref. */
  mediaUrl(ref: string): string;
  /** The native folder dialog: the chosen folder, or null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** The native file dialog: the chosen file, or null when cancelled. */
  pickFile(): Promise<string | null>;
  /** Shows a file in the system's file manager. */
  showItemInFolder(path: string): Promise<null>;
}
