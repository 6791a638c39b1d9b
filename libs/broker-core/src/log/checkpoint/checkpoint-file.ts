import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Write to `<path>.tmp`, then rename over `path`, so a reader sees the old file or the
 * new one, never a mix. With `sync`, the temporary file is fsynced before the rename and
 * the directory after it: the new contents and the new name both survive a power loss
 * once this returns. Without, both may be lost (the old file then reappears whole).
 */
export function writeFileAtomically(path: string, data: string | Buffer, sync: boolean): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  if (sync) fsyncPath(tmp);
  renameSync(tmp, path);
  if (sync) syncDirectory(dirname(path));
}

/**
 * writeFileAtomically off the event loop: the same steps through libuv's thread pool, for
 * periodic checkpoints whose fsyncs (tens of ms on a busy disk, 100+ at worst) would
 * otherwise stall every connection of the broker. The caller must not start another write
 * of the same `path` before this one settles (they share the `.tmp` name).
 */
export async function writeFileAtomicallyAsync(path: string, data: string | Buffer, sync: boolean): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data);
  if (sync) await fsyncPathAsync(tmp);
  await rename(tmp, path);
  if (sync) await fsyncPathAsync(dirname(path));
}

async function fsyncPathAsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a directory, so that created, renamed and removed names survive a crash. */
export function syncDirectory(dir: string): void {
  fsyncPath(dir);
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A checkpoint file that exists but cannot be read back as written; names the file and the problem. */
export class CorruptCheckpointError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`checkpoint file ${path} is unreadable: ${problem}`);
    this.name = 'CorruptCheckpointError';
  }
}

/** How one kind of checkpoint spells its entries: one line each, without the newline. */
export interface CheckpointFormat<T> {
  readonly version: number;
  format(entry: T): string;
  /** The entry on `line`, or undefined when the line is malformed. */
  parse(line: string): T | undefined;
}

/**
 * Kafka's text checkpoint file (server-common CheckpointFile), the shape of
 * `leader-epoch-checkpoint` and `replication-offset-checkpoint`:
 *
 *   line 1: format version (an integer)
 *   line 2: entry count N
 *   N lines: one entry each, fields separated by a space
 *
 * every line ending in `\n`. Writes are atomic and, by default, durable (see
 * writeFileAtomically). Reads are strict where Kafka is lenient: an empty file, a
 * missing count line or a last line without its newline is corrupt rather than empty,
 * since this class never writes one, and a file cut inside its last number
 * ("12 3456" cut to "12 34") would otherwise read as a valid, wrong entry.
 *
 * Single event loop: reads and writes are synchronous and never interleave, except
 * `writeAsync`, whose caller keeps one write of a file at a time.
 */
export class CheckpointFile<T> {
  constructor(
    readonly path: string,
    private readonly checkpointFormat: CheckpointFormat<T>,
  ) {}

  write(entries: readonly T[], sync = true): void {
    writeFileAtomically(this.path, this.format(entries), sync);
  }

  /** write() off the event loop; one at a time per file (see writeFileAtomicallyAsync). */
  writeAsync(entries: readonly T[], sync = true): Promise<void> {
    return writeFileAtomicallyAsync(this.path, this.format(entries), sync);
  }

  private format(entries: readonly T[]): string {
    const { version } = this.checkpointFormat;
    let text = `${version}\n${entries.length}\n`;
    for (const entry of entries) {
      const line = this.checkpointFormat.format(entry);
      if (line.includes('\n')) throw new RangeError(`checkpoint entry ${JSON.stringify(line)} spans lines`);
      text += `${line}\n`;
    }
    return text;
  }

  /** The entries, or undefined when the file does not exist. Throws CorruptCheckpointError otherwise. */
  read(): T[] | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return this.parse(text);
  }

  /**
   * Like read(), but a corrupt file reads as undefined after being passed to
   * `onCorrupt` (to log it): for callers that rebuild what the file holds.
   */
  readOrUndefined(onCorrupt: (err: CorruptCheckpointError) => void): T[] | undefined {
    try {
      return this.read();
    } catch (err) {
      if (!(err instanceof CorruptCheckpointError)) throw err;
      onCorrupt(err);
      return undefined;
    }
  }

  private parse(text: string): T[] {
    if (!text.endsWith('\n')) throw this.corrupt(text.length === 0 ? 'it is empty' : 'its last line has no newline (cut short?)');
    const lines = text.slice(0, -1).split('\n');
    const version = parseSafeInteger(lines[0]!);
    if (version !== this.checkpointFormat.version) throw this.corrupt(`version line ${JSON.stringify(lines[0])}, expected ${this.checkpointFormat.version}`);
    if (lines.length < 2) throw this.corrupt('it has no entry count');
    const count = parseSafeInteger(lines[1]!);
    if (count === undefined || count < 0) throw this.corrupt(`malformed entry count ${JSON.stringify(lines[1])}`);
    if (lines.length - 2 !== count) throw this.corrupt(`expected ${count} entries, found ${lines.length - 2}`);
    const entries: T[] = [];
    for (let i = 2; i < lines.length; i++) {
      const entry = this.checkpointFormat.parse(lines[i]!);
      if (entry === undefined) throw this.corrupt(`malformed line ${i + 1}: ${JSON.stringify(lines[i])}`);
      entries.push(entry);
    }
    return entries;
  }

  private corrupt(problem: string): CorruptCheckpointError {
    return new CorruptCheckpointError(this.path, problem);
  }
}

const INTEGER = /^-?\d+$/;

/** A decimal integer within +-(2^53 - 1) (how the log holds offsets), or undefined. */
export function parseSafeInteger(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** An entry line's fields: Kafka splits on runs of whitespace. */
export function splitFields(line: string): string[] {
  return line.split(/\s+/);
}
