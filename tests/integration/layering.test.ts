// The layering rule, enforced: folders say where code runs, and an import that crosses a line fails here (the
// model is VS Code's code-layering lint). Reads every source file's imports as text, so it needs no build.
//   shared/        the contract: imports only itself and its schema library (zod)
//   main/engine    imports no host, no studio layer, no CLI and never 'electron'
//   main/studio    the studio's Node side over one project: may use the engine, no host
//   main/host      what both hosts use: may use the studio and the engine, neither host
//   main/server, main/electron   the two hosts: siblings, neither imports the other; only electron imports 'electron'
//   renderer/      imports nothing under main/ and no Node built-in; its lib/ state gets the client it uses
// and no files import each other in a circle (type-only imports included).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './run-cli';

/** Folders a file in the keyed folder must not import from (by repository path prefix). */
const FORBIDDEN_FOLDERS: Record<string, string[]> = {
  'shared/': ['main/', 'renderer/', 'tests/', 'bench/', 'scripts/'],
  'main/engine/': ['main/studio/', 'main/host/', 'main/server/', 'main/electron/', 'main/cli/', 'renderer/'],
  'main/studio/': ['main/host/', 'main/server/', 'main/electron/', 'main/cli/', 'renderer/'],
  'main/host/': ['main/server/', 'main/electron/', 'main/cli/', 'renderer/'],
  'main/server/': ['main/electron/', 'main/cli/', 'renderer/'],
  'main/electron/': ['main/server/', 'main/cli/', 'renderer/'],
  'main/cli/': ['main/electron/', 'renderer/'],
  'renderer/': ['main/', 'tests/', 'bench/', 'scripts/'],
};

/** Packages a file in the keyed folder may import; everything else (Node built-ins included) is refused. */
const ONLY_PACKAGES: Record<string, (pkg: string, file: string) => boolean> = {
  'shared/': (pkg, file) => pkg === 'zod' || (pkg === 'vitest' && file.endsWith('.test.ts')),
  'renderer/': (pkg) => !pkg.startsWith('node:') && !NODE_BUILTINS.has(pkg),
};

/** Build configuration that runs in Node although it sits in the renderer's folder. */
const EXEMPT = new Set(['renderer/vite.config.ts']);
const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'url', 'http', 'net', 'stream', 'module']);
const SOURCE = /\.(ts|mts|mjs|js|svelte)$/;
const SPECIFIER = /(?:\bfrom\s+|^\s*import\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/gm;
const COMMENT = /\/\*[\s\S]*?\*\/|(?<![:'"\\])\/\/.*$/gm;

export interface Crossing {
  file: string;
  imports: string;
  why: string;
}

/** Module specifiers a source text imports (static, dynamic, side-effect, re-export and require forms). */
export function importsOf(text: string): string[] {
  return [...text.replace(COMMENT, '').matchAll(SPECIFIER)].map((m) => m[1]);
}

/** The crossings of one file, given as a repository path and its text. */
export function crossingsOf(file: string, text: string): Crossing[] {
  if (EXEMPT.has(file)) return [];
  const out: Crossing[] = [];
  for (const spec of importsOf(text)) {
    const pkg = packageName(spec);
    if (pkg === null) {
      const target = normalize(join(dirname(file), spec)).replaceAll('\\', '/');
      for (const [folder, forbidden] of Object.entries(FORBIDDEN_FOLDERS)) {
        if (!file.startsWith(folder)) continue;
        const hit = forbidden.find((f) => target.startsWith(f));
        if (hit) out.push({ file, imports: target, why: `${folder} must not import ${hit}` });
      }
      continue;
    }
    if (pkg === 'electron' && !file.startsWith('main/electron/')) {
      out.push({ file, imports: spec, why: "only main/electron imports 'electron'" });
    }
    for (const [folder, allowed] of Object.entries(ONLY_PACKAGES)) {
      if (file.startsWith(folder) && !allowed(pkg, file)) out.push({ file, imports: spec, why: `${folder} may not import the package ${pkg}` });
    }
  }
  return out;
}

/** null for a relative specifier; otherwise the package ('@scope/name', 'name' or a 'node:' built-in). */
function packageName(spec: string): string | null {
  if (spec.startsWith('.')) return null;
  if (spec.startsWith('node:')) return spec;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Import circles among repository files (each as the files in it), found with Tarjan's strongly connected components. */
export function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(member);
    } while (member !== file);
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** The repository files a file imports by relative path (a folder import means its index.ts). */
function localImports(file: string, text: string, known: Set<string>): string[] {
  return importsOf(text)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => normalize(join(dirname(file), spec)).replaceAll('\\', '/'))
    .flatMap((base) => [base, `${base}.ts`, `${base}/index.ts`].filter((candidate) => known.has(candidate)).slice(0, 1));
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO, folder), { recursive: true, encoding: 'utf8' })
    .map((f) => `${folder}/${f.replaceAll('\\', '/')}`)
    .filter((f) => SOURCE.test(f));
}

describe('layering', () => {
  it('no import crosses a layer line', () => {
    const crossings = ['shared', 'main', 'renderer'].flatMap((folder) =>
      sourceFiles(folder).flatMap((file) => crossingsOf(file, readFileSync(join(REPO, file), 'utf8'))),
    );
    expect(crossings.map((c) => `${c.file} → ${c.imports}: ${c.why}`)).toEqual([]);
  });

  it("the renderer's screen state reaches the host only through the client it is given", () => {
    // A value import of api/client would connect to a host on load and make the state untestable on a fake one.
    const valueImport = /^\s*import\s+(?!type\b)[^;]*from\s+'[^']*api\/client'/m;
    const offenders = sourceFiles('renderer/lib').filter((file) => valueImport.test(readFileSync(join(REPO, file), 'utf8')));
    expect(offenders).toEqual([]);
    expect(valueImport.test("import { api } from '../../api/client';")).toBe(true);
    expect(valueImport.test("import type { Api } from '../../api/client';")).toBe(false);
  });

  it('no files import each other in a circle', () => {
    const files = ['shared', 'main', 'renderer'].flatMap(sourceFiles);
    const known = new Set(files);
    const graph = new Map(files.map((file) => [file, localImports(file, readFileSync(join(REPO, file), 'utf8'), known)]));
    expect(circles(graph)).toEqual([]);
    expect(circles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('reads every import form and catches a crossing of each rule', () => {
    expect(importsOf("import a from 'x';\nimport type { B } from \"../y\";\nexport * from './z';\nimport 'side';\nawait import('dyn');\nrequire('req');")).toEqual(['x', '../y', './z', 'side', 'dyn', 'req']);
    expect(importsOf("// import { a } from 'commented';\n/** e.g. \"import\", \"train\" */\nconst KINDS = ['import', 'train'];")).toEqual([]);
    const cases: [string, string][] = [
      ['main/engine/operations/train.ts', "import { x } from '../../studio/api';"],
      ['main/engine/store/open.ts', "import { app } from 'electron';"],
      ['main/studio/engine.ts', "import { answerCall } from '../host/wire';"],
      ['main/host/wire.ts', "import { startServer } from '../server/server';"],
      ['main/electron/main.ts', "import { startServer } from '../server/server';"],
      ['main/server/server.ts', "import type { ToEngine } from '../electron/engine-messages';"],
      ['shared/services/training.ts', "import { readFileSync } from 'node:fs';"],
      ['shared/latent.ts', "import { Rng } from '../main/engine/ml/rng';"],
      ['renderer/lib/train/training.svelte.ts', "import { DEFAULTS } from '../../../main/engine/operations/run-config';"],
      ['renderer/app/main.ts', "import { join } from 'node:path';"],
    ];
    for (const [file, text] of cases) expect(crossingsOf(file, text), `${file}: ${text}`).toHaveLength(1);
    expect(crossingsOf('main/studio/engine.ts', "import { train } from '../engine/operations/train';")).toEqual([]);
    expect(crossingsOf('main/electron/main.ts', "import { app } from 'electron';")).toEqual([]);
  });

  it('reads the folders it guards', () => {
    for (const folder of ['shared', 'main/engine', 'main/studio', 'main/host', 'main/server', 'main/electron', 'renderer']) {
      expect(sourceFiles(folder).length, folder).toBeGreaterThan(0);
    }
  });
});
