/** One audit entry as GET /v3/audit-log answers it. */
export interface AuditEntry {
  readonly id: string;
  readonly time: string;
  readonly actor: string;
  readonly door: string;
  readonly source: string;
  readonly action: string;
  readonly resource: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly result: string;
  readonly error: string | null;
}

/**
 * Reads the audit log through the REST API and hands out only the entries written since
 * the last call, oldest first: each test step asserts exactly what its operation added.
 */
export class AuditLogReader {
  private lastId = 0n;

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  /** Skips every entry written so far (users created by the test setup, logins). */
  async mark(): Promise<void> {
    await this.takeNew();
  }

  /** The entries written since the last call, oldest first. */
  async takeNew(): Promise<AuditEntry[]> {
    const response = await fetch(`${this.baseUrl}/v3/audit-log?limit=1000`, { headers: this.headers });
    if (response.status !== 200) throw new Error(`GET /v3/audit-log: ${response.status} ${await response.text()}`);
    const { data } = (await response.json()) as { data: AuditEntry[] };
    const fresh = data.filter((e) => BigInt(e.id) > this.lastId).reverse();
    for (const e of fresh) if (BigInt(e.id) > this.lastId) this.lastId = BigInt(e.id);
    return fresh;
  }

  /**
   * Polls (with a deadline) until at least `count` new entries are there, then returns all
   * the new ones: the Kafka door records after the response is written, so an entry can
   * land a moment after the client saw its answer.
   */
  async waitForNew(count: number, deadlineMs = 5_000): Promise<AuditEntry[]> {
    const until = Date.now() + deadlineMs;
    const seen: AuditEntry[] = [];
    for (;;) {
      seen.push(...(await this.takeNew()));
      if (seen.length >= count || Date.now() > until) return seen;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
