// The RPC wire format of shared/contract/transport.ts, as both hosts read it: raw text from an untrusted renderer
// → a checked CallMessage → the app engine → a ReplyMessage. The local server's WebSocket and Electron's engine
// process run exactly this code, so a renderer meets the same checks and the same error shapes in either host.
import type { CallMessage, ReplyMessage } from '../../shared/contract/transport';
import { RpcError } from '../../shared/contract/define';
import type { AppEngine } from '../studio/api';

/** Large enough for the biggest input the contract allows (a 16 MB data URL of a dropped image), and no more. */
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;
const MAX_NAME_LENGTH = 64;
const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** A message that could not be read carries this id: the renderer has no call waiting under it. */
export const UNKNOWN_CALL_ID = -1;

export type ParsedCall = { ok: true; call: CallMessage } | { ok: false; reply: ReplyMessage };

function refuse(id: number, message: string): ParsedCall {
  return { ok: false, reply: { id, ok: false, error: { code: 'invalid-input', message } } };
}

/** Reads one call: JSON, an integer id, service and method names; the input's shape is the dispatcher's job. */
export function parseCall(text: string, maxBytes = MAX_MESSAGE_BYTES): ParsedCall {
  const tooLarge = checkSize(text, maxBytes);
  if (tooLarge) return tooLarge;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse(UNKNOWN_CALL_ID, 'The message is not valid JSON.');
  }
  return checkCall(value);
}

/** The envelope checks of parseCall for a message that is already an object. */
/** The refusal for a message over `maxBytes`, or null when it fits. */
export function checkSize(text: string, maxBytes = MAX_MESSAGE_BYTES): ParsedCall | null {
  if (Buffer.byteLength(text) <= maxBytes) return null;
  return refuse(UNKNOWN_CALL_ID, `The message is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB a call may carry.`);
}

export function checkCall(value: unknown): ParsedCall {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse(UNKNOWN_CALL_ID, 'The message must be a JSON object with id, service, method and input.');
  }
  const { id, service, method, input } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return refuse(UNKNOWN_CALL_ID, 'The message needs a non-negative whole-number id.');
  }
  for (const [field, name] of [['service', service], ['method', method]] as const) {
    if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !NAME.test(name)) {
      return refuse(id, `The message's ${field} must be a name of letters and digits (at most ${MAX_NAME_LENGTH}).`);
    }
  }
  return { ok: true, call: { id, service: service as string, method: method as string, input: input ?? {} } };
}

/** Runs a checked call on the engine; every failure becomes an error reply with the contract's {code, message}. */
export async function answerCall(engine: Pick<AppEngine, 'dispatch'>, call: CallMessage): Promise<ReplyMessage> {
  try {
    const output = await engine.dispatch(call.service, call.method, call.input);
    return { id: call.id, ok: true, output: output ?? null };
  } catch (error) {
    return { id: call.id, ok: false, error: errorBody(error) };
  }
}

export function errorBody(error: unknown): { code: string; message: string } {
  if (error instanceof RpcError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'failed', message: message || 'The engine failed without saying why.' };
}
