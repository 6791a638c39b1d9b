/** Messages between the fuzz runner (parent) and the server it fuzzes (child), over the IPC channel. */
export type ToServer = { readonly type: 'stop' };

export interface ServerReady {
  readonly type: 'ready';
  readonly port: number;
  readonly maxRequestBytes: number;
}

export interface ServerStopped {
  readonly type: 'stopped';
  /** Lines the broker or listener logged at error level (a handler throwing something other than a KafkaError, a failed fsync). */
  readonly errorLogs: number;
  readonly firstErrors: readonly string[];
  /** Connections the listener closed on bad input (logged at info level). */
  readonly closedOnBadInput: number;
  readonly janitorDeletes: number;
  /** The most requests one connection had in flight (sampled); the listener allows MAX_IN_FLIGHT. */
  readonly maxInFlightPerConnection: number;
  readonly maxInFlightAllowed: number;
  /** Event-loop delay while fuzzed, in ms. */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export type FromServer = ServerReady | ServerStopped;
