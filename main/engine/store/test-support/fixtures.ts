// Small builders for store tests: a project with test settings, deterministic image inputs, byte blobs.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ImageInput } from '../image-types';
import { openProject } from '../open';
import type { ProjectStore } from '../project-store';
import type { RunConfig } from '../runs';
import type { ProjectSettings } from '../settings';

export const TEST_SETTINGS: ProjectSettings = { kind: 'generate', imageSize: 16, latentSize: 8, appVersion: '0.1.0-test' };

export function createTestProject(folder: string, settings: Partial<ProjectSettings> = {}, name = 'test.vaestudio'): ProjectStore {
  return openProject(join(folder, name), { create: { ...TEST_SETTINGS, ...settings } });
}

/** A complete run config for tests that need a run but not particular settings. */
export function testRunConfig(config: Partial<RunConfig> = {}): RunConfig {
  return { epochs: 10, batch: 32, lr: 1e-3, beta: 1, warmupSteps: 0, seed: 0, checkpointEvery: 200, imageSize: 16, latentSize: 8, ...config };
}

/** Deterministic pseudo-random bytes: the same label always gives the same bytes. */
export function bytesFrom(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let block = createHash('sha256').update(label).digest();
  for (let offset = 0; offset < length; offset += block.length) {
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** A usable image whose pixels (and so sha256) are derived from `content`; give two files the same content for a duplicate. */
export function okImage(
  path: string,
  content = path,
  root = '/photos',
  imageSize = TEST_SETTINGS.imageSize,
): Extract<ImageInput, { status: 'ok' }> {
  const pixels = bytesFrom(content, imageSize * imageSize * 3);
  return {
    root,
    path,
    status: 'ok',
    sha256: createHash('sha256').update(pixels).digest('hex'),
    byteSize: 1000,
    mtimeMs: 1_700_000_000_000,
    width: 40,
    height: 30,
    format: 'png',
    pixels,
  };
}

export function failedImage(path: string, error = 'unsupported image format', root = '/photos'): ImageInput {
  return { root, path, status: 'failed', error, byteSize: 12, mtimeMs: 1_700_000_000_000 };
}
