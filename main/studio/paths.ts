// Paths typed or picked by the user: "~" means the home folder; anything else must be absolute, since the
// renderer has no working directory a relative path could sensibly mean.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { RpcError } from '../../shared/contract/define';

export function userPath(input: string): string {
  const text = input.trim();
  if (text === '~') return homedir();
  if (text.startsWith('~/') || text.startsWith('~\\')) return resolve(join(homedir(), text.slice(2)));
  if (!isAbsolute(text)) {
    throw new RpcError('invalid-input', `"${input}" is not a full path; give one that starts with / or ~ (your home folder).`);
  }
  return resolve(text);
}
