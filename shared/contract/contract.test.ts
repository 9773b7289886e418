import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from './client';
import { defineService, method, RpcError } from './define';
import { createDispatcher } from './dispatch';
import type { Transport } from './transport';

const greeter = defineService({
  name: 'greeter',
  methods: {
    greet: method(z.object({ name: z.string().max(10) }).strict(), z.object({ text: z.string() })),
    broken: method(z.object({}), z.object({ text: z.string() })),
  },
  events: { greeted: z.object({ name: z.string() }) },
});
const services = { greeter };

function loopback() {
  const listeners = new Set<(s: string, e: string, p: unknown) => void>();
  const dispatch = createDispatcher(services, {
    greeter: {
      greet: ({ name }, ctx) => {
        ctx.emit('greeter', 'greeted', { name });
        return { text: `hello ${name}` };
      },
      broken: () => ({ text: 42 }) as unknown as { text: string },
    },
  });
  const ctx = { emit: (s: string, e: string, p: unknown) => listeners.forEach((l) => l(s, e, p)) };
  const transport: Transport = {
    call: (s, m, input) => dispatch(s, m, input, ctx),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
    mediaUrl: (ref) => `/media/${ref}`,
  };
  return { dispatch, ctx, client: createClient(services, transport), emit: ctx.emit };
}

describe('contract client and dispatcher', () => {
  it('round-trips a call and delivers its event to subscribers', async () => {
    const { client } = loopback();
    const heard: string[] = [];
    const off = client.on('greeter', 'greeted', (p) => heard.push(p.name));
    expect(await client.greeter.greet({ name: 'Ada' })).toEqual({ text: 'hello Ada' });
    off();
    await client.greeter.greet({ name: 'Bob' });
    expect(heard).toEqual(['Ada']);
  });

  it('refuses unknown services, unknown methods and prototype names by name', async () => {
    const { dispatch, ctx } = loopback();
    await expect(dispatch('nope', 'greet', {}, ctx)).rejects.toThrow('There is no service called "nope".');
    await expect(dispatch('greeter', 'toString', {}, ctx)).rejects.toThrow('greeter has no method called "toString".');
    await expect(dispatch('greeter', '__proto__', {}, ctx)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses invalid input with the field and the rule, before the handler runs', async () => {
    const { dispatch, ctx } = loopback();
    const err = (await dispatch('greeter', 'greet', { name: 'much too long a name' }, ctx).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/greeter\.greet: .*name/);
    await expect(dispatch('greeter', 'greet', { name: 'x', extra: 1 }, ctx)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('rejects a host output that breaks the contract instead of passing it on', async () => {
    const { client } = loopback();
    await expect(client.greeter.broken({})).rejects.toMatchObject({ code: 'failed' });
  });

  it('drops malformed events instead of handing them to the UI', () => {
    const { client, emit } = loopback();
    const heard: unknown[] = [];
    const original = console.error;
    console.error = () => {};
    client.on('greeter', 'greeted', (p) => heard.push(p));
    emit('greeter', 'greeted', { name: 7 });
    emit('greeter', 'greeted', { name: 'ok' });
    console.error = original;
    expect(heard).toEqual([{ name: 'ok' }]);
  });
});
