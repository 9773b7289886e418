// Messages between Electron's main process and the engine's utilityProcess (engine-host.ts). Calls, replies and
// events travel as the JSON text of shared/contract/transport.ts, exactly what the local server's socket carries.
import type { AppEngineOptions, Media } from '../studio/api';

export type ToEngine =
  | { type: 'init'; options: AppEngineOptions }
  /** A CallMessage as JSON text. */
  | { type: 'call'; text: string }
  | { type: 'media'; id: number; ref: string }
  | { type: 'shutdown' };

export type FromEngine =
  | { type: 'ready' }
  /** A ReplyMessage as JSON text. */
  | { type: 'reply'; text: string }
  /** An EventMessage as JSON text. */
  | { type: 'event'; text: string }
  | { type: 'media'; id: number; media: WireMedia | null }
  | { type: 'shutdown-done' }
  | { type: 'fatal'; message: string };

/** Media after structured cloning: a Buffer arrives as a plain Uint8Array. */
export type WireMedia = Omit<Media, 'bytes'> & { bytes?: Uint8Array };
