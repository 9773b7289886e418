// Builds a typed client for a set of services over any transport. Outputs are parsed with the contract's
// schemas so a host bug surfaces as a clear error here rather than as undefined deep in the UI.
import type { z } from 'zod';
import { type ClientOf, type EventPayload, RpcError, type RpcErrorCode, RPC_ERROR_CODES, type ServiceDef } from './define';
import type { Transport } from './transport';

export type Client<S extends Record<string, ServiceDef>> = { [K in keyof S]: ClientOf<S[K]> } & {
  on<K extends keyof S, E extends keyof S[K]['events'] & string>(
    service: K,
    event: E,
    listener: (payload: EventPayload<S[K], E>) => void,
  ): () => void;
  mediaUrl(ref: string): string;
};

export function createClient<S extends Record<string, ServiceDef>>(services: S, transport: Transport): Client<S> {
  const client: Record<string, unknown> = {};
  for (const [key, service] of Object.entries(services)) {
    const calls: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, def] of Object.entries(service.methods)) {
      calls[name] = async (input: unknown) => {
        try {
          const output = await transport.call(service.name, name, input ?? {});
          return def.output.parse(output);
        } catch (err) {
          throw toRpcError(err);
        }
      };
    }
    client[key] = calls;
  }
  client.on = (serviceKey: string, event: string, listener: (payload: unknown) => void) => {
    const service = services[serviceKey];
    const schema = service.events[event] as z.ZodType;
    return transport.onEvent((s, e, payload) => {
      if (s !== service.name || e !== event) return;
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data);
      else console.error(`Ignored malformed ${s}.${e} event`, parsed.error);
    });
  };
  client.mediaUrl = (ref: string) => transport.mediaUrl(ref);
  return client as Client<S>;
}

function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = RPC_ERROR_CODES.includes(e?.code as RpcErrorCode) ? (e.code as RpcErrorCode) : 'failed';
  return new RpcError(code, typeof e?.message === 'string' ? e.message : String(err));
}
