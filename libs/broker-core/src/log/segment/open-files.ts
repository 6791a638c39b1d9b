import { closeSync, constants, fdatasync, fdatasyncSync, openSync } from 'node:fs';

/** A file whose descriptor the pool may close; its owner reopens it on next use. */
export interface PooledFile {
  /** Closes the descriptor unless it is in use across an await (an fsync); false if it kept it. */
  releaseFd(): boolean;
}

/** Kafka has no such cap (it relies on a large ulimit); this default stays far below common limits. */
export const DEFAULT_MAX_OPEN_SEGMENT_FILES = 4096;

/**
 * A bounded set of open segment files (`.log`, `.index`, `.timeindex`), least recently
 * used first. Every partition's active segment would otherwise hold descriptors for as
 * long as the log is open, so tens of thousands of partitions would exceed the process's
 * open-file limit. Owners report each descriptor they open (`opened`) and each use
 * (`touch`, once per append or read call, not per record); past `capacity` the least
 * recently used files are asked to close theirs. A file whose fsync is in flight keeps
 * its descriptor, so the pool exceeds its capacity by at most the fsyncs in flight, and
 * comes back under it as they end (`trim`).
 *
 * Closing a descriptor with unsynced writes loses nothing: the data is in the page cache
 * of the inode, and a later fsync through a new descriptor flushes it.
 *
 * Insertion order of a Set is the LRU order: a touch is a delete and an add, skipped when
 * the file is already the newest (the common case of consecutive calls on one segment).
 */
export class OpenFiles {
  private readonly files = new Set<PooledFile>();
  private newest: PooledFile | undefined;

  constructor(readonly capacity: number) {}

  /** Files holding a descriptor now. */
  get size(): number {
    return this.files.size;
  }

  /** After `file` opened its descriptor: it becomes the newest, older files may be closed. */
  opened(file: PooledFile): void {
    this.files.add(file);
    this.newest = file;
    if (this.files.size > this.capacity) this.evict();
  }

  /** `file`, holding a descriptor, is being used. */
  touch(file: PooledFile): void {
    if (file === this.newest) return;
    this.files.delete(file);
    this.files.add(file);
    this.newest = file;
  }

  /** After `file` closed its descriptor on its own. */
  closed(file: PooledFile): void {
    this.files.delete(file);
    if (this.newest === file) this.newest = undefined;
  }

  /** After an fsync ended: files it kept open past the cap may close now. */
  trim(): void {
    if (this.files.size > this.capacity) this.evict();
  }

  private evict(): void {
    for (const file of this.files) {
      if (this.files.size <= this.capacity) return;
      if (file !== this.newest && file.releaseFd()) this.files.delete(file);
    }
  }
}

const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT;
/** A reopen after the pool closed the file: a file deleted meanwhile is an error, not recreated empty. */
const REOPEN_FLAGS = constants.O_RDWR;

/**
 * One segment file's descriptor in a pool: opened read-write (created if missing) on
 * first use, closed by the pool when it is the least recently used, reopened on the next
 * use. Its fdatasyncs keep it open while they run.
 */
export class PooledFd implements PooledFile {
  private fd: number | undefined;
  private openedBefore = false;
  private syncing = 0;

  constructor(
    private readonly path: string,
    private readonly pool: OpenFiles,
  ) {}

  /** The descriptor, valid until the next call that may open another file of the pool. */
  get(): number {
    if (this.fd !== undefined) {
      this.pool.touch(this);
      return this.fd;
    }
    const fd = openSync(this.path, this.openedBefore ? REOPEN_FLAGS : CREATE_FLAGS, 0o644);
    this.fd = fd;
    this.openedBefore = true;
    this.pool.opened(this);
    return fd;
  }

  releaseFd(): boolean {
    if (this.syncing > 0) return false;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    return true;
  }

  /** Asynchronous fdatasync; through a reopened descriptor if the pool closed it since the writes (it syncs the file). */
  async datasync(): Promise<void> {
    const fd = this.get();
    this.syncing++;
    try {
      await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
    } finally {
      this.syncing--;
      this.pool.trim();
    }
  }

  datasyncSync(): void {
    fdatasyncSync(this.get());
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.pool.closed(this);
  }
}

/**
 * The pool of every log in this process: the open-file limit is the process's, shared by
 * all the brokers it hosts, so the cap is read once from WEIR_MAX_OPEN_SEGMENT_FILES.
 */
export const PROCESS_OPEN_FILES = new OpenFiles(capFromEnvironment(process.env['WEIR_MAX_OPEN_SEGMENT_FILES']));

function capFromEnvironment(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_MAX_OPEN_SEGMENT_FILES;
  const cap = Number(value);
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`WEIR_MAX_OPEN_SEGMENT_FILES must be a positive integer, got '${value}'`);
  return cap;
}
