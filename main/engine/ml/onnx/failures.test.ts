// Bad input to the ONNX engine: a model ONNX Runtime rejects and a package that cannot load each give one clear
// line, and the engine falls back to TF.js instead of failing.
import { describe, expect, it, vi } from 'vitest';
import { createSession } from './runtime';
import { SyncSession } from './sync-session';

describe('ONNX Runtime failures', () => {
  it('a model ONNX Runtime rejects is one clear line', async () => {
    const garbage = new Uint8Array([8, 1, 18, 3, 1, 2, 3, 0xff, 0xff]);
    const err = await createSession(garbage, { threads: 1 }).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/^ONNX Runtime rejected a model: /);
    expect(err?.message).not.toContain('\n');
    expect(() => SyncSession.create(garbage)).toThrow(/^ONNX Runtime rejected a model: /);
  });

  it('when onnxruntime-node cannot load, auto falls back to TF.js and says why; an explicit onnx is refused', async () => {
    vi.resetModules();
    vi.doMock('onnxruntime-node', () => {
      throw new Error('Cannot find module onnxruntime_binding.node\n    at Module._resolveFilename');
    });
    const { initBackend } = await import('../backends');
    const report = await initBackend('auto');
    expect(report.name).toBe('wasm');
    expect(report.reasons[0]).toMatchObject({ backend: 'onnx', ok: false });
    expect(report.reasons[0].reason).toMatch(/^onnxruntime-node failed to load: \S/);
    expect(report.reasons[0].reason).not.toContain('\n');
    await expect(initBackend('onnx')).rejects.toThrow(/backend 'onnx' is unavailable \(onnxruntime-node failed to load/);
    vi.doUnmock('onnxruntime-node');
  });
});
