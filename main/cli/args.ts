// Argument helpers: typed flag parsing with one clear line per mistake.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failed command that still has a report to show (e.g. an import in which no file was usable). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown>,
    readonly human: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** `--batch -3` reads as two flags to node's parser; join a value that looks like a negative number to its flag. */
function attachNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    if (options[name]?.type === 'string' && /^-\d|^-\.\d/.test(argv[i + 1] ?? '')) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

export function parse(argv: string[], options: Options): Parsed {
  try {
    return parseArgs({ args: attachNegativeValues(argv, options), options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as Parsed;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('\n')[0]);
  }
}

export function intFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${flag} must be a whole number, got "${String(value)}"`);
  return n;
}

export function numberFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${String(value)}"`);
  return n;
}

export function choiceFlag<T extends string>(value: unknown, flag: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got "${String(value)}"`);
  return value as T;
}

export function requirePositionals(positionals: string[], names: string[], usage: string): void {
  if (positionals.length < names.length) {
    throw new UsageError(`Missing ${names.slice(positionals.length).join(' and ')}. Usage: ${usage}`);
  }
}
