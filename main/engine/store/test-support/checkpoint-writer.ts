// Child process for crash.test.ts: saves ~1.25 MB checkpoints of one run in a loop until it is killed.
// Prints "begin N" before each save and "saved N" after it commits (stdout to a pipe is synchronous on Linux,
// so the parent knows how far the child got). Each run resumes after the latest checkpoint.
// A small page cache makes SQLite spill pages into the WAL before the commit, as it does for a real model's
// checkpoint of tens of megabytes: a kill then often leaves a half-written transaction in the log.
import { randomBytes } from 'node:crypto';
import { openProject } from '../open';
import { testRunConfig } from './fixtures';

const path = process.argv[2];
if (!path) throw new Error('usage: checkpoint-writer <project file>');

const store = openProject(path);
store.db.pragma('cache_size = 32');
const run = store.runs.latest() ?? store.runs.create(testRunConfig({ epochs: 1000, seed: 1 }));
let step = store.checkpoints.latest(run.id)?.step ?? 0;
for (;;) {
  step += 1;
  process.stdout.write(`begin ${step}\n`);
  store.checkpoints.save(
    {
      runId: run.id,
      step,
      epoch: Math.floor(step / 10),
      rngState: { seed: 1, step },
      losses: { total: 1 / step },
      weights: randomBytes(1024 * 1024),
      optimizer: randomBytes(256 * 1024),
    },
    { keep: 3 },
  );
  store.metrics.add([
    { runId: run.id, split: 'train', step, epoch: 0, recon: 1, kl: 1, total: 2, bitsPerDim: 1, wallTimeMs: Date.now() },
  ]);
  process.stdout.write(`saved ${step}\n`);
}
