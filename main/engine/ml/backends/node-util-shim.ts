/**
 * Node >= 23 removed the legacy `util.is*` helpers (DEP0044-DEP0058); @tensorflow/tfjs-node(-gpu) 4.22 still calls
 * them (e.g. `util.isNullOrUndefined` in nodejs_kernel_backend). Define the missing ones on the shared `util`
 * module object before importing those packages. Idempotent; never replaces a function Node still ships.
 */
import { createRequire } from 'node:module';

const legacy: Record<string, (v: unknown) => boolean> = {
  isArray: (v) => Array.isArray(v),
  isBoolean: (v) => typeof v === 'boolean',
  isBuffer: (v) => Buffer.isBuffer(v),
  isDate: (v) => v instanceof Date,
  isError: (v) => v instanceof Error,
  isFunction: (v) => typeof v === 'function',
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === 'number',
  isObject: (v) => v !== null && typeof v === 'object',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
  isRegExp: (v) => v instanceof RegExp,
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
};

/** Returns the names it defined (empty on Node < 23 or when already applied). */
export function installNodeUtilShim(): string[] {
  // require('util') is the very object CommonJS packages get, so patching it reaches tfjs-node.
  const util = createRequire(import.meta.url)('node:util') as Record<string, unknown>;
  const added: string[] = [];
  for (const [name, fn] of Object.entries(legacy)) {
    if (typeof util[name] !== 'function') {
      util[name] = fn;
      added.push(name);
    }
  }
  return added;
}
