// Errors the user should see, shown in a dismissible banner with the host's own message.
export interface ShownError {
  id: number;
  message: string;
}

export class ErrorList {
  items = $state<ShownError[]>([]);
  private nextId = 1;

  /** Shows `err`'s message (RpcError messages are full sentences meant for the user). */
  report(err: unknown): void {
    const message = messageOf(err);
    if (this.items.some((e) => e.message === message)) return;
    this.items.push({ id: this.nextId++, message });
  }

  /** Clears every banner: what they said was about something the person has since moved on from. */
  clear(): void {
    if (this.items.length) this.items = [];
  }

  dismiss(id: number): void {
    this.items = this.items.filter((e) => e.id !== id);
  }

  /** Runs `work`, reporting a failure in the banner; resolves to undefined on failure. */
  async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      if ((err as { code?: string })?.code !== 'cancelled') this.report(err);
      return undefined;
    }
  }
}

export function messageOf(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string' && err.message) return err.message;
  return `Something went wrong: ${String(err)}`;
}
