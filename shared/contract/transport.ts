// What a renderer needs from its host: call a method, hear events, turn a media reference into a URL.
// Two implementations: the Electron preload bridge and the local server's WebSocket.

export interface Transport {
  call(service: string, method: string, input: unknown): Promise<unknown>;
  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: (service: string, event: string, payload: unknown) => void): () => void;
  /** URL the renderer can put in <img src> / <a href download> for a MediaRef. */
  mediaUrl(ref: string): string;
}

/** Wire format shared by both transports (JSON). */
export interface CallMessage {
  id: number;
  service: string;
  method: string;
  input: unknown;
}
export type ReplyMessage =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };
export interface EventMessage {
  event: string;
  service: string;
  payload: unknown;
}
