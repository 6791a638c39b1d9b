/**
 * What the storage engine needs to report: recovery warnings (a torn tail dropped, an
 * index rebuilt) and background failures (an fsync that failed). Injected so the
 * gateway can route it to its own logger and tests can assert on it.
 */
export interface StorageLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export const SILENT_STORAGE_LOGGER: StorageLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
