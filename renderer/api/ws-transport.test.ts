import { afterEach, describe, expect, it, vi } from 'vitest';
import { DISCONNECTED_MESSAGE, rpcUrl, WsTransport } from './ws-transport';

class FakeSocket {
  static all: FakeSocket[] = [];
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.onclose?.();
  }
  reply(data: unknown) {
    this.onmessage?.({ data: JSON.stringify(data) });
  }
}

function transport() {
  FakeSocket.all = [];
  return new WsTransport({ url: 'ws://h/rpc', createSocket: (u) => new FakeSocket(u) as unknown as WebSocket, initialDelayMs: 10 });
}

afterEach(() => vi.useRealTimers());

describe('WebSocket transport', () => {
  it('derives the /rpc address from the page origin', () => {
    expect(rpcUrl({ origin: 'http://127.0.0.1:4321' })).toBe('ws://127.0.0.1:4321/rpc');
    expect(rpcUrl({ origin: 'https://x.test' })).toBe('wss://x.test/rpc');
  });

  it('sends calls made before the socket opens, then resolves and rejects by id', async () => {
    const t = transport();
    const a = t.call('projects', 'recent', {});
    const b = t.call('projects', 'open', { path: '/nope' });
    const socket = FakeSocket.all[0];
    socket.onopen!();
    const [ma, mb] = socket.sent.map((s) => JSON.parse(s));
    expect(ma).toMatchObject({ service: 'projects', method: 'recent' });
    socket.reply({ id: mb.id, ok: false, error: { code: 'not-found', message: 'There is no project at /nope.' } });
    socket.reply({ id: ma.id, ok: true, output: { projects: [] } });
    await expect(a).resolves.toEqual({ projects: [] });
    await expect(b).rejects.toEqual({ code: 'not-found', message: 'There is no project at /nope.' });
  });

  it('delivers events to listeners', () => {
    const t = transport();
    const heard: unknown[] = [];
    t.onEvent((...args) => heard.push(args));
    FakeSocket.all[0].onopen!();
    FakeSocket.all[0].reply({ service: 'jobs', event: 'progress', payload: { fraction: 0.5 } });
    expect(heard).toEqual([['jobs', 'progress', { fraction: 0.5 }]]);
  });

  it('rejects calls in flight on disconnect, shows reconnecting, and reconnects with backoff', async () => {
    vi.useFakeTimers();
    const t = transport();
    const states: string[] = [];
    t.onStateChange((s) => states.push(s));
    FakeSocket.all[0].onopen!();
    const call = t.call('training', 'state', {});
    FakeSocket.all[0].close();
    await expect(call).rejects.toMatchObject({ message: DISCONNECTED_MESSAGE });
    expect(t.state).toBe('reconnecting');
    vi.advanceTimersByTime(10);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].onopen!();
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });
});
