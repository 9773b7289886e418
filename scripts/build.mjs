// Bundles the Node entry points (CLI, benchmarks, Electron's main process, engine process and preload) into
// dist/. Native and wasm-shipping packages stay external so they resolve their own binaries at run time.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';

// Fresh Node bundles each time; dist/renderer is the Vite build's and is left alone here.
for (const entry of existsSync('dist') ? readdirSync('dist') : []) {
  if (entry !== 'renderer') rmSync(`dist/${entry}`, { recursive: true, force: true });
}
await build({
  entryPoints: Object.fromEntries(
    Object.entries({
      cli: 'main/cli/index.ts',
      'gradient-worker': 'main/engine/ml/parallel/gradient-worker.ts',
      'onnx-train-worker': 'main/engine/ml/onnx/train-worker.ts',
      'onnx-inference-worker': 'main/engine/ml/onnx/inference-worker.ts',
      'prior-fit-worker': 'main/engine/ml/prior/fit-worker.ts',
      'electron/main': 'main/electron/main.ts',
      'electron/engine-host': 'main/electron/engine-host.ts',
      'bench/train-bench': 'bench/train-bench.ts',
    }).filter(([, file]) => existsSync(file)),
  ),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// A sandboxed preload runs as one CommonJS file that may require only 'electron'.
if (existsSync('main/electron/preload.ts')) {
  await build({
    entryPoints: { 'electron/preload': 'main/electron/preload.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
}
