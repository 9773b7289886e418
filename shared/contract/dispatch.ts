// The host side: validate a call from the (untrusted) renderer against the contract, run the handler, and
// return its output. Unknown services/methods and invalid inputs are refused with a specific message.
import { z } from 'zod';
import { type CallContext, type HandlersOf, RpcError, type ServiceDef } from './define';

export type Implementation<S extends Record<string, ServiceDef>, Ctx = CallContext> = {
  [K in keyof S]: HandlersOf<S[K], Ctx>;
};

export type Dispatch<Ctx = CallContext> = (service: string, method: string, input: unknown, ctx: Ctx) => Promise<unknown>;

export function createDispatcher<S extends Record<string, ServiceDef>, Ctx = CallContext>(
  services: S,
  impl: Implementation<S, Ctx>,
): Dispatch<Ctx> {
  const byName = new Map<string, { def: ServiceDef; handlers: Record<string, (input: unknown, ctx: Ctx) => unknown> }>();
  for (const [key, def] of Object.entries(services)) {
    byName.set(def.name, { def, handlers: impl[key] as Record<string, (input: unknown, ctx: Ctx) => unknown> });
  }
  return async (serviceName, methodName, input, ctx) => {
    const entry = typeof serviceName === 'string' ? byName.get(serviceName) : undefined;
    if (!entry) throw new RpcError('not-found', `There is no service called "${String(serviceName)}".`);
    const def = Object.hasOwn(entry.def.methods, methodName) ? entry.def.methods[methodName] : undefined;
    const handler = def && Object.hasOwn(entry.handlers, methodName) ? entry.handlers[methodName] : undefined;
    if (!def || !handler) throw new RpcError('not-found', `${entry.def.name} has no method called "${String(methodName)}".`);
    const parsed = def.input.safeParse(input);
    if (!parsed.success) {
      throw new RpcError('invalid-input', `${entry.def.name}.${methodName}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    }
    return handler(parsed.data, ctx);
  };
}
