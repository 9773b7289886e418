// Media references ("thumb/12", "preview/3") to bytes. Each service registers the prefixes it serves; anything
// else — an unknown prefix, a malformed or dot-led id, a resolver that fails — is simply not there (null).
import { mediaRefSchema } from '../../shared/services/common';
import type { Media } from './api';

export type MediaResolver = (id: string) => Promise<Media | null> | Media | null;

const PREFIX = /^[a-z-]+$/;

export class MediaRegistry {
  private readonly resolvers = new Map<string, MediaResolver>();

  register(prefix: string, resolve: MediaResolver): void {
    if (!PREFIX.test(prefix)) throw new Error(`A media prefix is lowercase letters and dashes, not "${prefix}"`);
    if (this.resolvers.has(prefix)) throw new Error(`The media prefix "${prefix}" is registered twice`);
    this.resolvers.set(prefix, resolve);
  }

  async resolve(ref: unknown): Promise<Media | null> {
    if (!mediaRefSchema.safeParse(ref).success) return null;
    const [prefix, id] = (ref as string).split('/', 2);
    // The id pattern allows "." and "..": never let one reach a resolver that might build a path from it.
    if (id.startsWith('.')) return null;
    const resolver = this.resolvers.get(prefix);
    if (!resolver) return null;
    try {
      return (await resolver(id)) ?? null;
    } catch (error) {
      console.warn(`Could not produce ${String(ref)}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}

/** Parses the numeric id of refs like "thumb/12"; null for anything else. */
export function numericId(id: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return null;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : null;
}
