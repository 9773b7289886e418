// Live decoding while the pointer moves: at most one request in flight; when it returns, only the latest
// request made meanwhile is sent (intermediate ones are dropped). Results of each request arrive in order.

export class LatestOnly<I, O> {
  private inFlight = false;
  private pending: { input: I } | null = null;

  constructor(
    private readonly run: (input: I) => Promise<O>,
    private readonly onResult: (output: O, input: I) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  request(input: I): void {
    if (this.inFlight) {
      this.pending = { input };
      return;
    }
    void this.send(input);
  }

  get busy(): boolean {
    return this.inFlight;
  }

  private async send(input: I): Promise<void> {
    this.inFlight = true;
    try {
      this.onResult(await this.run(input), input);
    } catch (err) {
      this.onError(err);
    } finally {
      this.inFlight = false;
      const next = this.pending;
      this.pending = null;
      if (next) void this.send(next.input);
    }
  }
}
