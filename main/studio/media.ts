// Media references ("thumb/<scope>-12", "preview/<scope>-3") to bytes. Each service registers the prefixes it
// serves; anything else — an unknown prefix, a malformed or dot-led id, a resolver that fails — is simply not
// there (null). Every reference names the project opening it was made for (a scope new on each open), so an
// image of one project can never be shown for another: a reference from a project that is not open is refused.
import { RpcError } from '../../shared/contract/define';
import { mediaRefSchema } from '../../shared/services/common';
import type { Media } from './api';

export type MediaResolver = (id: string) => Promise<Media | null> | Media | null;

const PREFIX = /^[a-z-]+$/;

export class MediaRegistry {
  private readonly resolvers = new Map<string, MediaResolver>();

  /** `scope` is the open project's media scope, null when none is open. */
  constructor(private readonly scope: () => string | null) {}

  /** "<prefix>/<scope>-<id>" for the open project; throws when no project is open. */
  ref(prefix: string, id: string | number): string {
    const scope = this.scope();
    if (scope === null) throw new RpcError('no-project', 'Open or create a project first.');
    return `${prefix}/${scope}-${id}`;
  }

  register(prefix: string, resolve: MediaResolver): void {
    if (!PREFIX.test(prefix)) throw new Error(`A media prefix is lowercase letters and dashes, not "${prefix}"`);
    if (this.resolvers.has(prefix)) throw new Error(`The media prefix "${prefix}" is registered twice`);
    this.resolvers.set(prefix, resolve);
  }

  async resolve(ref: unknown): Promise<Media | null> {
    if (!mediaRefSchema.safeParse(ref).success) return null;
    const [prefix, scoped] = (ref as string).split('/', 2);
    const scope = this.scope();
    if (scope === null || !scoped.startsWith(`${scope}-`)) return null; // made for another project, or none is open
    const id = scoped.slice(scope.length + 1);
    // The id pattern allows "." and "..": never let one reach a resolver that might build a path from it.
    if (id === '' || id.startsWith('.')) return null;
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
