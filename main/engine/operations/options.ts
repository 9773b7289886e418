// Validating a job's options: one clear line naming the flag, as the CLI and the app both show it.
import type { z } from 'zod';

/** A job option out of range or of the wrong kind: the caller's mistake, not a failure of the job. */
export class InvalidOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOptionError';
  }
}

const FLAG_NAMES: Record<string, string> = { maxSteps: 'max-steps', warmupSteps: 'warmup', checkpointEvery: 'checkpoint-every', newRun: 'new-run', fromScratch: 'from-scratch' };

export function flagName(key: string): string {
  return `--${FLAG_NAMES[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function parseOptions<S extends z.ZodType>(schema: S, input: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue.path[0] ?? 'option');
  const got = input[key];
  const flag = flagName(key);
  const detail = issue as unknown as { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; expected?: string; values?: unknown[] };
  let rule: string;
  if (issue.code === 'too_small') rule = `must be ${detail.inclusive === false ? 'more than' : 'at least'} ${detail.minimum}`;
  else if (issue.code === 'too_big') rule = `must be ${detail.inclusive === false ? 'less than' : 'at most'} ${detail.maximum}`;
  else if (issue.code === 'invalid_type' && detail.expected === 'int') rule = 'must be a whole number';
  else if (issue.code === 'invalid_value' && detail.values) rule = `must be ${orList(detail.values.map(String))}`;
  else if (issue.code === 'invalid_type') rule = `must be a ${detail.expected}`;
  else rule = issue.message;
  throw new InvalidOptionError(`${flag} ${rule}, got ${JSON.stringify(got)}`);
}

/** "quick, good or best". */
function orList(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
