// What the renderer hears when something fails: a code it can act on and the engine's own sentence.
import { describe, expect, it } from 'vitest';
import { ImageError } from '../engine/images';
import { CancelledError } from '../engine/progress';
import { NoCheckpointError } from '../engine/operations/model-io';
import { InvalidOptionError } from '../engine/operations/options';
import { ProjectError } from '../engine/store';
import { toRpcError } from './errors';

describe('toRpcError', () => {
  it.each([
    [new ProjectError('not-found', '/a/b.vaestudio does not exist'), 'not-found', '/a/b.vaestudio does not exist.'],
    [new ProjectError('invalid-settings', 'Image size must be a power of two from 16 to 1024 (got 20)'), 'invalid-input', 'Image size must be a power of two from 16 to 1024 (got 20).'],
    [new ProjectError('disk-full', 'The disk is full: could not save the checkpoint.'), 'failed', 'The disk is full: could not save the checkpoint.'],
    [new InvalidOptionError('--batch must be at least 1, got 0'), 'invalid-input', '--batch must be at least 1, got 0.'],
    [new ImageError('corrupt', 'truncated or corrupt PNG data'), 'invalid-input', 'Truncated or corrupt PNG data.'],
    [new NoCheckpointError('/a/b.vaestudio'), 'not-found', 'This project has no trained checkpoint yet; train it first.'],
    [new CancelledError(), 'cancelled', 'Cancelled.'],
  ])('maps %s', (error, code, message) => {
    const rpc = toRpcError(error, 'test.call');
    expect([rpc.code, rpc.message]).toEqual([code, message]);
  });

  it('says a bug is a bug, naming the call', () => {
    const rpc = toRpcError(new TypeError("Cannot read properties of undefined (reading 'x')"), 'dataset.page');
    expect(rpc.code).toBe('failed');
    expect(rpc.message).toMatch(/^Something went wrong in dataset\.page .*Please report this\.$/);
  });
});
