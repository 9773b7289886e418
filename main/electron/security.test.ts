// What Electron's main process lets through from a renderer, and what an app:// URL may reach: the pure halves
// of the IPC handlers and the protocol handler (Electron itself cannot run here).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAppRequest } from './app-protocol';
import { appMediaUrl } from './app-url';
import { checkHostRequest, checkRpcRequest, isTrustedSender } from './security';

describe('IPC sender check', () => {
  it('trusts only the top frame of our app:// page', () => {
    expect(isTrustedSender({ url: 'app://studio/index.html', isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://studio/index.html', isTopFrame: false })).toBe(false);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://media/thumb/1', 'app://studio.evil/', 'http://studio/', 'not a url', '']) {
      expect(isTrustedSender({ url, isTopFrame: true }), url).toBe(false);
    }
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('rpc envelope', () => {
  it('passes a well-formed call on as JSON text with the id main chose', () => {
    const checked = checkRpcRequest({ service: 'projects', method: 'open', input: { path: '/x' } }, 7);
    expect(checked.ok).toBe(true);
    expect(JSON.parse(checked.text!)).toEqual({ id: 7, service: 'projects', method: 'open', input: { path: '/x' } });
  });

  it('refuses bad names, non-objects, what JSON cannot carry, and oversize inputs, with the call id', () => {
    const cases: [unknown, RegExp][] = [
      [{ service: 'projects', method: '__proto__', input: {} }, /method must be a name/],
      [{ service: 42, method: 'open' }, /service must be a name/],
      [{ service: 'x'.repeat(65), method: 'open' }, /service must be a name/],
      [{ service: 'projects', method: 'open', input: { n: 1n } }, /cannot be sent as JSON/],
      [{ service: 'projects', method: 'open', input: 'x'.repeat(2000) }, /larger than/],
    ];
    for (const [request, message] of cases) {
      const checked = checkRpcRequest(request, 9, 1000);
      expect(checked.ok, JSON.stringify(String(request))).toBe(false);
      if (!checked.ok) {
        expect(checked.reply.ok).toBe(false);
        if (!checked.reply.ok) expect(checked.reply.error.message).toMatch(message);
        expect(checked.reply.id).toBe(9);
      }
    }
    expect(checkRpcRequest('projects.open', 9).ok).toBe(false);
    expect(checkRpcRequest(null, 9).ok).toBe(false);
  });
});

describe('host bridge requests', () => {
  it('allows the dialogs and showing an absolute path, nothing else', () => {
    expect(checkHostRequest({ op: 'pickFolder' })).toEqual({ op: 'pickFolder' });
    expect(checkHostRequest({ op: 'pickFile', extra: 'ignored' })).toEqual({ op: 'pickFile' });
    expect(checkHostRequest({ op: 'showItemInFolder', path: '/home/me/a.png' })).toEqual({ op: 'showItemInFolder', path: '/home/me/a.png' });
    expect(checkHostRequest({ op: 'showItemInFolder', path: 'a.png' })).toHaveProperty('error');
    expect(checkHostRequest({ op: 'showItemInFolder', path: '/a\0b' })).toHaveProperty('error');
    expect(checkHostRequest({ op: 'openExternal', path: 'https://x' })).toEqual({ error: 'There is no host operation called "openExternal".' });
    expect(checkHostRequest('pickFolder')).toHaveProperty('error');
  });
});

describe('app:// paths', () => {
  const root = mkdtempSync(join(tmpdir(), 'vae-app-protocol-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
  writeFileSync(join(renderer, 'assets', 'app.js'), '');
  writeFileSync(join(root, 'secret.txt'), 'secret');
  symlinkSync(join(root, 'secret.txt'), join(renderer, 'escape.txt'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps app://studio/ to the renderer files, with index.html for app routes', () => {
    expect(resolveAppRequest('app://studio/index.html', renderer)).toEqual({ kind: 'file', file: join(renderer, 'index.html') });
    expect(resolveAppRequest('app://studio/', renderer)).toEqual({ kind: 'file', file: join(renderer, 'index.html') });
    expect(resolveAppRequest('app://studio/assets/app.js', renderer)).toEqual({ kind: 'file', file: join(renderer, 'assets', 'app.js') });
    expect(resolveAppRequest('app://studio/explore', renderer)).toEqual({ kind: 'file', file: join(renderer, 'index.html') });
    expect(resolveAppRequest('app://studio/assets/gone.js', renderer)).toEqual({ kind: 'not-found' });
  });

  it('never leaves the renderer folder', () => {
    for (const url of ['app://studio/..%2fsecret.txt', 'app://studio/assets/..%2f..%2fsecret.txt', 'app://studio/%2e%2e%2fsecret.txt', 'app://studio/..%5csecret.txt', 'app://studio/escape.txt', 'app://evil/index.html', 'file:///etc/passwd']) {
      expect(resolveAppRequest(url, renderer), url).toEqual({ kind: 'refused' });
    }
  });

  it('media URLs round-trip to the MediaRef, and a malformed one is not found', () => {
    expect(appMediaUrl('thumb/12')).toBe('app://studio/media/thumb/12');
    expect(resolveAppRequest(`${appMediaUrl('export/morph.gif')}?download=1`, renderer)).toEqual({ kind: 'media', ref: 'export/morph.gif', download: true });
    expect(resolveAppRequest('app://studio/media/thumb/..%2f..%2fsecret.txt', renderer)).toEqual({ kind: 'not-found' });
  });
});
