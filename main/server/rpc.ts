// /rpc: one WebSocket per browser tab. Calls in, replies out (in any order: a long call never blocks a short
// one), and every engine event to every tab. A bad message gets an error reply; the connection stays.
import { WebSocket, WebSocketServer } from 'ws';
import type { EventMessage, ReplyMessage } from '../../shared/contract/transport';
import type { AppEngine } from '../studio/api';
import { answerCall, MAX_MESSAGE_BYTES, parseCall, UNKNOWN_CALL_ID } from '../host/wire';

/** A tab that stops reading is cut off rather than buffering events without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface RpcEndpoint {
  sockets: WebSocketServer;
  close(): void;
}

export function createRpcEndpoint(engine: Pick<AppEngine, 'dispatch' | 'onEvent'>, maxMessageBytes = MAX_MESSAGE_BYTES): RpcEndpoint {
  // ws enforces the size limit while reading, before a large message is held in memory; it closes with 1009.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false });

  sockets.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        send(socket, { id: UNKNOWN_CALL_ID, ok: false, error: { code: 'invalid-input', message: 'Calls are JSON text, not binary messages.' } });
        return;
      }
      const parsed = parseCall(data.toString(), maxMessageBytes);
      if (!parsed.ok) {
        send(socket, parsed.reply);
        return;
      }
      void answerCall(engine, parsed.call).then((reply) => send(socket, replyText(reply)));
    });
    socket.on('error', () => socket.terminate());
  });

  const unsubscribe = engine.onEvent((service, event, payload) => {
    const message: EventMessage = { service, event, payload };
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      console.error(`Dropped a ${service}.${event} event that cannot be written as JSON: ${(error as Error).message}`);
      return;
    }
    for (const socket of sockets.clients) send(socket, text);
  });

  return {
    sockets,
    close() {
      unsubscribe();
      for (const socket of sockets.clients) {
        socket.close(1001, 'VAE Studio is shutting down.');
        // A tab that never answers the closing handshake must not hold the shutdown up.
        setTimeout(() => socket.terminate(), 1000).unref();
      }
      sockets.close();
    },
  };
}

/** A reply whose output cannot be written as JSON (a host bug) still reaches the waiting call, as an error. */
function replyText(reply: ReplyMessage): string {
  try {
    return JSON.stringify(reply);
  } catch (error) {
    return JSON.stringify({ id: reply.id, ok: false, error: { code: 'failed', message: `The engine's answer could not be sent: ${(error as Error).message}` } });
  }
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return;
  }
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}
