/** Counters of one Kafka listener since it started, for /metrics. */
export class ListenerStats {
  /** Requests read, by API name. */
  readonly requests = new Map<string, number>();
  /** Connections closed because the client broke framing or grammar, or a handler failed. */
  protocolErrors = 0;
  connectionsAccepted = 0;

  countRequest(api: string): void {
    this.requests.set(api, (this.requests.get(api) ?? 0) + 1);
  }
}
