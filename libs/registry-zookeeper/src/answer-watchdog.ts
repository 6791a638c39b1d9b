/**
 * Notices a connection that stopped answering. The ZooKeeper client library pings an idle
 * server but never gives up on a silent one, so on a network path that drops packets its
 * requests would wait forever. The watchdog counts requests in flight; when one has waited
 * `readTimeoutMs` without any answer arriving it calls `onSilent` (the connection drops the
 * socket: requests fail with CONNECTIONLOSS and the client reconnects, to another server
 * of the ensemble if there is one). While idle it asks `probe` for a cheap request every
 * `probeIntervalMs`, so a dead path is found without traffic too. Java's client does the
 * same with its read timeout of two thirds of the session timeout.
 *
 * The library also waits forever for the answer to its connect request, so a server that
 * accepts TCP and then says nothing (one still starting, or a half-cut path) would hold the
 * client in CONNECTING for good: a client not connected for `readTimeoutMs` is kicked the
 * same way, which makes the library try again.
 */
export class AnswerWatchdog {
  private inFlight = 0;
  /** Last answer, or when the oldest unanswered request was sent after an idle spell. */
  private lastAnswerAtMs = Date.now();
  private disconnectedSinceMs: number | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly readTimeoutMs: number,
    private readonly probeIntervalMs: number,
    private readonly connected: () => boolean,
    private readonly probe: () => void,
    private readonly onSilent: () => void,
  ) {
    this.timer = setInterval(() => this.check(), Math.max(50, Math.floor(readTimeoutMs / 4)));
    this.timer.unref();
  }

  sent(): void {
    if (this.inFlight++ === 0) this.lastAnswerAtMs = Date.now();
  }

  answered(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.lastAnswerAtMs = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const now = Date.now();
    if (!this.connected()) {
      this.disconnectedSinceMs ??= now;
      if (now - this.disconnectedSinceMs > this.readTimeoutMs) {
        this.disconnectedSinceMs = now;
        this.onSilent();
      }
      return;
    }
    this.disconnectedSinceMs = undefined;
    const silentForMs = now - this.lastAnswerAtMs;
    if (this.inFlight > 0 && silentForMs > this.readTimeoutMs) {
      this.lastAnswerAtMs = Date.now();
      this.onSilent();
    } else if (this.inFlight === 0 && silentForMs > this.probeIntervalMs) {
      this.probe();
    }
  }
}
