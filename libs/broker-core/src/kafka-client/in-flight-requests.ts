import type { Reader } from '../protocol/primitives/reader.js';
import type { Cancellable } from '../timer/scheduler.js';
import type { KafkaClientError } from './kafka-client-error.js';

/** One request written to the socket and not answered yet. */
export interface PendingRequest {
  readonly correlationId: number;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly decode: (reader: Reader, version: number) => unknown;
  readonly resolve: (body: unknown) => void;
  readonly reject: (err: KafkaClientError) => void;
  /** The request timeout on the timer; cancelled when the request settles. */
  timeout: Cancellable | undefined;
}

/**
 * The requests of one connection awaiting their responses, oldest first (a Map keeps
 * insertion order). A Kafka broker answers a connection's requests in the order they
 * were sent, so a response must carry the correlation id of the oldest pending request:
 * any other id means the stream cannot be trusted (Kafka's NetworkClient refuses it too).
 */
export class InFlightRequests {
  private readonly pending = new Map<number, PendingRequest>();

  get size(): number {
    return this.pending.size;
  }

  add(request: PendingRequest): void {
    this.pending.set(request.correlationId, request);
  }

  /** Removes and returns the oldest request if `correlationId` is its; undefined (nothing removed) otherwise. */
  completeOldest(correlationId: number): PendingRequest | undefined {
    for (const [oldest, request] of this.pending) {
      if (oldest !== correlationId) return undefined;
      this.pending.delete(oldest);
      request.timeout?.cancel();
      return request;
    }
    return undefined;
  }

  /** The oldest request's correlation id, or undefined when none is pending (for error messages). */
  oldestCorrelationId(): number | undefined {
    for (const id of this.pending.keys()) return id;
    return undefined;
  }

  /** Rejects every pending request with `err` and forgets them. */
  failAll(err: KafkaClientError): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) {
      request.timeout?.cancel();
      request.reject(err);
    }
  }
}
