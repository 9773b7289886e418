// The local server's transport: one WebSocket to /rpc on the page's own origin (the server's HttpOnly cookie
// authenticates it). Reconnects with backoff; calls in flight when the socket drops are rejected with a clear
// message, calls made while disconnected wait for the next connection.
import type { CallMessage, EventMessage, ReplyMessage, Transport } from '../../shared/contract/transport';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface WsTransportOptions {
  url: string;
  /** Injectable for tests. */
  createSocket?: (url: string) => WebSocket;
  /** First retry delay; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export const DISCONNECTED_MESSAGE = 'The connection to VAE Studio was lost before this finished; it is reconnecting, so try again in a moment.';

export class WsTransport implements Transport {
  state: ConnectionState = 'connecting';
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly inFlight = new Map<number, Pending>();
  private readonly queued: { message: CallMessage; pending: Pending }[] = [];
  private readonly eventListeners = new Set<(service: string, event: string, payload: unknown) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private retries = 0;
  private closed = false;

  constructor(private readonly options: WsTransportOptions) {
    this.connect();
  }

  call(service: string, method: string, input: unknown): Promise<unknown> {
    const message: CallMessage = { id: this.nextId++, service, method, input };
    return new Promise((resolve, reject) => {
      const pending = { resolve, reject };
      if (this.state === 'open' && this.socket) this.send(message, pending);
      else this.queued.push({ message, pending });
    });
  }

  onEvent(listener: (service: string, event: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  mediaUrl(ref: string): string {
    return `/media/${ref.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** Stops reconnecting (tests, page teardown). */
  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private connect(): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url));
    const socket = create(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retries = 0;
      this.setState('open');
      for (const { message, pending } of this.queued.splice(0)) this.send(message, pending);
    };
    socket.onmessage = (e) => this.receive(e.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const pending of this.inFlight.values()) pending.reject({ code: 'failed', message: DISCONNECTED_MESSAGE });
      this.inFlight.clear();
      if (this.closed) return;
      this.setState('reconnecting');
      const initial = this.options.initialDelayMs ?? 250;
      const delay = Math.min(this.options.maxDelayMs ?? 5000, initial * 2 ** this.retries++);
      setTimeout(() => this.connect(), delay);
    };
  }

  private send(message: CallMessage, pending: Pending): void {
    this.inFlight.set(message.id, pending);
    this.socket!.send(JSON.stringify(message));
  }

  private receive(data: unknown): void {
    let message: Partial<ReplyMessage & EventMessage>;
    try {
      message = JSON.parse(String(data));
    } catch {
      console.error('Ignored a message from the host that is not JSON.');
      return;
    }
    if (typeof message.event === 'string' && typeof message.service === 'string') {
      for (const listener of this.eventListeners) listener(message.service, message.event, message.payload);
      return;
    }
    const pending = typeof message.id === 'number' ? this.inFlight.get(message.id) : undefined;
    if (!pending) return;
    this.inFlight.delete(message.id!);
    const reply = message as ReplyMessage;
    if (reply.ok) pending.resolve(reply.output);
    else pending.reject(reply.error ?? { code: 'failed', message: 'The host refused the call without saying why.' });
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** ws(s)://<this origin>/rpc */
export function rpcUrl(location: { origin: string }): string {
  return `${location.origin.replace(/^http/, 'ws')}/rpc`;
}
