// Where a training step's time goes on ONNX Runtime: ONNX Runtime's own profiler over one single-threaded
// session, summed per operator type and per node.
// Usage: npx tsx bench/onnx-step-profile.ts [--size 64] [--batch 16] [--network classic|residual]
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeArchitecture, type Network } from '../main/engine/ml/architecture';
import { paramSpecs } from '../main/engine/ml/params';
import { onnxShape } from '../main/engine/ml/onnx/layout';
import { encodeModel } from '../main/engine/ml/onnx/proto';
import { loadOrt } from '../main/engine/ml/onnx/runtime';
import { vaeTrainingGraph } from '../main/engine/ml/onnx/vae-graphs';
import { Rng } from '../main/engine/ml/rng';

const { values } = parseArgs({ options: { size: { type: 'string', default: '64' }, batch: { type: 'string', default: '16' }, runs: { type: 'string', default: '10' }, network: { type: 'string', default: 'classic' } } });
const size = Number(values.size);
const n = Number(values.batch);
const runs = Number(values.runs);
const arch = describeArchitecture({ size, latent: 128, network: values.network as Network });
const specs = paramSpecs(arch);
const ort = await loadOrt();
const prefix = join(tmpdir(), `vae-studio-profile-${process.pid}`);
const session = await ort.InferenceSession.create(encodeModel(vaeTrainingGraph(arch, specs, n)), {
  intraOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  enableProfiling: true,
  profileFilePrefix: prefix,
  logSeverityLevel: 3,
});
const rng = new Rng(1);
const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
for (const s of specs) {
  const shape = onnxShape(s.shape);
  feeds[s.name] = new ort.Tensor('float32', rng.normals(shape.reduce((a, b) => a * b, 1), 0.02), shape);
}
feeds.x = new ort.Tensor('float32', Float32Array.from({ length: n * size * size * 3 }, () => rng.next() * 2 - 1), [n, size, size, 3]);
feeds.eps = new ort.Tensor('float32', rng.normals(n * 128), [n, 128]);
feeds.klWeight = new ort.Tensor('float32', Float32Array.of(1), []);
await session.run(feeds); // the first run also optimises the graph
for (let i = 0; i < runs; i++) await session.run(feeds);
await session.release();

const file = (await import('node:fs')).readdirSync(tmpdir()).map((f) => join(tmpdir(), f)).find((f) => f.startsWith(prefix));
if (!file) throw new Error('ONNX Runtime wrote no profile');
type Event = { cat?: string; name: string; dur: number; args?: { op_name?: string; output_type_shape?: unknown } };
const events = JSON.parse(readFileSync(file, 'utf8')) as Event[];
rmSync(file);
const byOp = new Map<string, number>();
const byNode = new Map<string, number>();
for (const e of events) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name) continue;
  byOp.set(e.args.op_name, (byOp.get(e.args.op_name) ?? 0) + e.dur);
  const key = `${e.args.op_name.padEnd(14)} ${JSON.stringify(e.args.output_type_shape ?? '').slice(0, 60)}`;
  byNode.set(key, (byNode.get(key) ?? 0) + e.dur);
}
const total = [...byOp.values()].reduce((a, b) => a + b, 0);
const perRun = (us: number) => us / (runs + 1) / 1000;
console.log(`${arch.network} ${size}×${size}, batch ${n}, 1 thread: ${perRun(total).toFixed(1)} ms per step in kernels (${(n / (perRun(total) / 1000)).toFixed(0)} img/s)\n`);
for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
  console.log(`${op.padEnd(16)} ${perRun(us).toFixed(2).padStart(7)} ms  ${((100 * us) / total).toFixed(1).padStart(5)}%`);
}
console.log('\nSlowest nodes (output shapes):');
for (const [node, us] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${perRun(us).toFixed(2).padStart(6)} ms  ${node}`);
