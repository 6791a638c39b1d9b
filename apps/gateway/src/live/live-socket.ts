/** What the hub needs of a `ws` WebSocket (the package ships no types of its own). */
export interface LiveSocket {
  readonly readyState: number;
  /** Bytes queued but not yet sent: a slow client is skipped for samples rather than buffered without bound. */
  readonly bufferedAmount: number;
  send(data: string): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
}

export const OPEN = 1;
