import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { partitionDirName } from '../log/segment/file-names.js';

const DELETE_SUFFIX = '-delete';

/**
 * The broker's log directory, `<dataDir>/logs`, holding one `<topic>-<partition>`
 * directory per hosted replica (Kafka's log.dirs layout). A deleted partition's
 * directory is first renamed to `<topic>-<partition>.<uuid>-delete`, as Kafka does, so a
 * crash in the middle of removing files never leaves something that looks like a live
 * log; leftovers with that suffix are removed on the next start.
 */
export class LogDirs {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  partitionDir(topic: string, partition: number): string {
    return join(this.root, partitionDirName(topic, partition));
  }

  /** Partition numbers that have a directory for `topic`. */
  partitionsOnDisk(topic: string): number[] {
    const prefix = `${topic}-`;
    const out: number[] = [];
    for (const name of readdirSync(this.root)) {
      if (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))) out.push(Number(name.slice(prefix.length)));
    }
    return out.sort((a, b) => a - b);
  }

  /** Removes a partition's directory (rename first, then delete). */
  removePartition(topic: string, partition: number): void {
    const dir = this.partitionDir(topic, partition);
    const doomed = `${dir}.${randomUUID().replaceAll('-', '')}${DELETE_SUFFIX}`;
    try {
      renameSync(dir, doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    rmSync(doomed, { recursive: true, force: true });
  }

  /** Finishes removals a crash interrupted. */
  removeLeftovers(): void {
    for (const name of readdirSync(this.root)) {
      if (name.endsWith(DELETE_SUFFIX)) rmSync(join(this.root, name), { recursive: true, force: true });
    }
  }
}
