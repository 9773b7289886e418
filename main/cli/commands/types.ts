// The shape every CLI command has, so cli/index.ts can list, describe and run them alike.
import type { Output } from '../output';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(argv: string[], out: Output, signal: AbortSignal): Promise<void>;
}
