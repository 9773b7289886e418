// The CLI's one way to open a project for a command, closing it whatever happens.
import { openProject, type ProjectStore } from '../../engine/store';
import type { BackendChoice } from '../../engine/ml/backends';
import { choiceFlag, type Options } from '../args';

export async function withProject<T>(path: string, fn: (store: ProjectStore) => Promise<T>, readonly = false): Promise<T> {
  const store = openProject(path, { readonly });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu'];

export const backendOption: Options = { backend: { type: 'string' } };
export const backendFlag = (value: unknown) => choiceFlag(value, 'backend', BACKEND_CHOICES);
