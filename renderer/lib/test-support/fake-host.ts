// A host for screen-state tests: the real client over a transport that answers each "service.method" from a
// table (outputs still checked against the contract), records every call, and emits events on demand.
import { createClient } from '../../../shared/contract/client';
import type { Transport } from '../../../shared/contract/transport';
import { SERVICES } from '../../../shared/services';
import type { Connected } from '../shell/connected';
import { ErrorList } from '../shell/errors.svelte';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test knows the input of the call it answers
export type FakeAnswer = (input: any) => unknown;

export interface FakeHost extends Connected {
  /** Every call made, in order, as "service.method" and its input. */
  calls: { name: string; input: unknown }[];
  /** Replaces or adds answers. */
  answer(answers: Record<string, FakeAnswer>): void;
  emit(service: string, event: string, payload: unknown): void;
  /** The inputs of the calls to one "service.method". */
  inputsOf(name: string): unknown[];
}

/** An answer that fails the way a host refusal does: an RpcError-shaped {code, message}. */
export const refuse = (code: string, message: string): FakeAnswer => () => {
  throw { code, message };
};

export function fakeHost(answers: Record<string, FakeAnswer> = {}): FakeHost {
  const table = { ...answers };
  const calls: FakeHost['calls'] = [];
  const listeners = new Set<(service: string, event: string, payload: unknown) => void>();
  const transport: Transport = {
    async call(service, method, input) {
      const name = `${service}.${method}`;
      calls.push({ name, input });
      const answer = table[name];
      if (!answer) throw { code: 'failed', message: `The fake host has no answer for ${name}` };
      return answer(input);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    mediaUrl: (ref) => `/media/${ref}`,
  };
  return {
    api: createClient(SERVICES, transport),
    errors: new ErrorList(),
    calls,
    answer: (more) => Object.assign(table, more),
    emit: (service, event, payload) => listeners.forEach((listener) => listener(service, event, payload)),
    inputsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
  };
}
