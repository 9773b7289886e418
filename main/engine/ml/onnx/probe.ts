// Whether ONNX Runtime works here, and on which device: loads the package and runs a one-node graph on each
// execution provider this platform may have, best first, falling back to the CPU with the reason recorded.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { GraphBuilder } from './graph';
import { encodeModel } from './proto';
import { loadOrt, oneLine } from './runtime';

export interface OnnxProbe {
  ok: boolean;
  /** The execution provider that ran ("cpu", "cuda", "dml", "coreml"), when ok. */
  provider?: string;
  /** One line: what runs, or why not. */
  reason: string;
  /** Providers tried before the one used, with why each did not work. */
  skipped: string[];
}

/**
 * Best first, by platform: CUDA on Linux with an NVIDIA device (its provider library is a separate download, see
 * README), DirectML on Windows, CoreML on macOS, WebGPU where a GPU may be; the CPU always works.
 * VAE_STUDIO_ONNX_PROVIDERS (e.g. "cpu") overrides the list.
 */
function candidateProviders(): string[] {
  const forced = process.env.VAE_STUDIO_ONNX_PROVIDERS?.split(',').map((p) => p.trim()).filter(Boolean);
  if (forced?.length) return forced;
  const gpuDevice = existsSync('/dev/nvidia0') || existsSync('/dev/dri');
  if (process.platform === 'linux') return [...(existsSync('/dev/nvidia0') ? ['cuda'] : []), ...(gpuDevice ? ['webgpu'] : []), 'cpu'];
  if (process.platform === 'win32') return ['dml', 'webgpu', 'cpu'];
  if (process.platform === 'darwin') return ['coreml', 'webgpu', 'cpu'];
  return ['cpu'];
}

function smokeModel(): Uint8Array {
  const g = new GraphBuilder('smoke');
  const x = g.input('x', [2]);
  g.output(g.add(x, g.scalar(1)), 'y');
  return encodeModel(g.build());
}

let probed: Promise<OnnxProbe> | null = null;

export function probeOnnx(): Promise<OnnxProbe> {
  probed ??= (async () => {
    let ort;
    try {
      ort = await loadOrt();
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err), skipped: [] };
    }
    const skipped: string[] = [];
    for (const provider of candidateProviders()) {
      try {
        // Fatal-only logging: a provider that is not installed is an expected outcome, reported below.
        const session = await ort.InferenceSession.create(smokeModel(), { executionProviders: [provider], logSeverityLevel: 4 });
        const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2), [2]) });
        const y = out.y.data as Float32Array;
        await session.release();
        if (y[0] !== 2 || y[1] !== 3) throw new Error(`computed 1+1=${y[0]}`);
        const version = ort.env.versions?.node ?? '';
        const where = provider === 'cpu' ? `the CPU, one single-threaded training session per core (${availableParallelism()})` : `the GPU (${provider})`;
        const notes = skipped.length ? ` — not used: ${skipped.join('; ')}` : '';
        return { ok: true, provider, reason: `ONNX Runtime ${version} on ${where}${notes}`, skipped };
      } catch (err) {
        skipped.push(`${provider}: ${oneLine(err)}`);
      }
    }
    return { ok: false, reason: `ONNX Runtime loaded but no execution provider ran (${skipped.join('; ')})`, skipped };
  })();
  return probed;
}
