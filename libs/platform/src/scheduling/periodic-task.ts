/**
 * Runs `work` every `intervalMs`, never two runs at once, and lets shutdown wait for the run
 * in progress. Used by outbox sweepers and pollers; errors are reported, never thrown.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs);
  }

  /** Runs now unless a run is in progress, in which case it waits for that one. */
  runOnce(): Promise<void> {
    this.running ??= this.work()
      .then(() => undefined)
      .catch((error: Error) => this.onError(error))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
