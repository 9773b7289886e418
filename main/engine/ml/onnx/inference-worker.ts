// A helper thread of the inference pool (./inference-pool.ts): single-threaded sessions of the models it was
// handed, run on rows in shared memory; the flag says done (1) or failed (2) and wakes the waiting thread.
import { parentPort } from 'node:worker_threads';
import { SyncSession } from './sync-session';

export type ToInferenceWorker =
  /** `progress[1]` counts the loads taken in (a model that failed to load is counted too: its runs fail). */
  | { type: 'load'; key: string; model: Uint8Array; progress: SharedArrayBuffer }
  | { type: 'drop'; key: string }
  | {
      type: 'run';
      key: string;
      input: string;
      dims: number[];
      rows: SharedArrayBuffer;
      length: number;
      outputs: Record<string, SharedArrayBuffer>;
      flag: SharedArrayBuffer;
    };

const sessions = new Map<string, SyncSession>();

function run(m: Extract<ToInferenceWorker, { type: 'run' }>): boolean {
  const session = sessions.get(m.key);
  if (!session) return false;
  const out = session.run({ [m.input]: new Float32Array(m.rows, 0, m.length) }, { [m.input]: m.dims });
  for (const [name, buffer] of Object.entries(m.outputs)) new Float32Array(buffer, 0, out[name].length).set(out[name]);
  return true;
}

parentPort?.on('message', (m: ToInferenceWorker) => {
  if (m.type === 'load') {
    try {
      sessions.set(m.key, SyncSession.create(m.model));
    } catch {
      // not kept: runs of this model report failure and the caller computes them itself
    }
    Atomics.add(new Int32Array(m.progress), 1, 1);
  } else if (m.type === 'drop') {
    sessions.get(m.key)?.dispose();
    sessions.delete(m.key);
  } else {
    let ok = false;
    try {
      ok = run(m);
    } catch {
      ok = false; // the caller computes these rows itself
    }
    const flag = new Int32Array(m.flag);
    Atomics.store(flag, 0, ok ? 1 : 2);
    Atomics.notify(flag, 0);
  }
});
