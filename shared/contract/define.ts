// A service contract: named methods (input and output schemas) and named events (payload schemas). The
// renderer's client and the hosts' dispatchers are built from these objects, never written per call.
// No Node, no DOM: the renderer, both hosts and the engine process import this.
import type { z } from 'zod';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export interface ServiceDef<
  N extends string = string,
  M extends Record<string, MethodDef> = Record<string, MethodDef>,
  E extends Record<string, z.ZodType> = Record<string, z.ZodType>,
> {
  name: N;
  methods: M;
  events: E;
}

export function defineService<N extends string, M extends Record<string, MethodDef>, E extends Record<string, z.ZodType>>(
  def: ServiceDef<N, M, E>,
): ServiceDef<N, M, E> {
  return def;
}

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodDef<I, O> {
  return { input, output };
}

/** Method name → (input) => Promise<output>, as the renderer calls it. */
export type ClientOf<S extends ServiceDef> = {
  [K in keyof S['methods']]: (input: z.input<S['methods'][K]['input']>) => Promise<z.output<S['methods'][K]['output']>>;
};

/** Method name → handler, as a host implements it. `ctx` carries per-call facts (cancellation, caller). */
export type HandlersOf<S extends ServiceDef, Ctx = CallContext> = {
  [K in keyof S['methods']]: (
    input: z.output<S['methods'][K]['input']>,
    ctx: Ctx,
  ) => Promise<z.input<S['methods'][K]['output']>> | z.input<S['methods'][K]['output']>;
};

export type EventPayload<S extends ServiceDef, E extends keyof S['events']> = z.output<S['events'][E]>;

export interface CallContext {
  /** Emits one of the service's events to every connected renderer. */
  emit(service: string, event: string, payload: unknown): void;
}

/** Error codes a renderer can act on; the message is always a full sentence for the user. */
export const RPC_ERROR_CODES = ['invalid-input', 'not-found', 'no-project', 'busy', 'cancelled', 'failed', 'forbidden'] as const;
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}
