// The base of every piece of screen state that talks to the host: the client it was created with and the
// error banner its failures go to. Nothing here imports a live client, so a test builds a model on a fake one.
import type { Api } from '../../api/client';
import type { ErrorList } from './errors.svelte';

export interface Connected {
  api: Api;
  errors: ErrorList;
}

export abstract class ConnectedModel {
  protected readonly api: Api;
  protected readonly errors: ErrorList;

  constructor(deps: Connected) {
    this.api = deps.api;
    this.errors = deps.errors;
  }

  /** Runs `work`, reporting a failure in the banner; resolves to undefined on failure. */
  protected attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    return this.errors.attempt(work);
  }
}
