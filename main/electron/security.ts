// The checks Electron's main process makes on everything a renderer sends, kept free of Electron so they are
// unit-tested: the sender must be our app:// page, and each message must have the expected envelope.
// The engine then validates the call's input against the contract, as it does for the local server.
import { isAbsolute } from 'node:path';
import { type ParsedCall, checkCall, checkSize, MAX_MESSAGE_BYTES } from '../host/wire';
import { APP_HOST, APP_SCHEME } from './app-url';


/** True for a top-level frame showing our own app:// page; never for a subframe or any other origin. */
export function isTrustedSender(frame: { url: string; isTopFrame: boolean } | null | undefined): boolean {
  if (!frame?.isTopFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * A renderer's `rpc` request ({service, method, input}) as the JSON call text the engine process reads. Anything
 * JSON cannot carry (functions, BigInt, cycles) or anything too large is refused here, in the main process.
 */
export function checkRpcRequest(request: unknown, id: number, maxBytes = MAX_MESSAGE_BYTES): ParsedCall & { text?: string } {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return checkCall(request);
  const { service, method, input } = request as Record<string, unknown>;
  let text: string;
  try {
    text = JSON.stringify({ id, service, method, input: input ?? {} });
  } catch {
    return { ok: false, reply: { id, ok: false, error: { code: 'invalid-input', message: 'The call input cannot be sent as JSON.' } } };
  }
  // The envelope is checked on the object itself: parsing the text back would cost the main process (which
  // also drives the window) a second pass over calls of up to tens of megabytes.
  const parsed = checkSize(text, maxBytes) ?? checkCall({ id, service, method, input: input ?? {} });
  return parsed.ok ? { ...parsed, text } : { ok: false, reply: { ...parsed.reply, id } };
}

export type HostRequest = { op: 'pickFolder' } | { op: 'pickFile' } | { op: 'showItemInFolder'; path: string };

/** The `host` bridge's requests: native dialogs and "show in folder", nothing else. */
export function checkHostRequest(request: unknown): HostRequest | { error: string } {
  if (typeof request !== 'object' || request === null) return { error: 'A host request must be an object.' };
  const { op, path } = request as Record<string, unknown>;
  if (op === 'pickFolder' || op === 'pickFile') return { op };
  if (op === 'showItemInFolder') {
    if (typeof path !== 'string' || path.length === 0 || path.length > 4096 || path.includes('\0') || !isAbsolute(path)) {
      return { error: 'showItemInFolder needs a full path to a file.' };
    }
    return { op, path };
  }
  return { error: `There is no host operation called "${String(op)}".` };
}
