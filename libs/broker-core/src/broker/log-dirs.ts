import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { partitionDirName } from '../log/segment/file-names.js';
import { readPartitionMetadata, writePartitionMetadata } from '../log/partition/partition-metadata.js';

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

  /**
   * Makes the partition's directory the given topic's: a directory left by an older topic
   * of the same name (deleted while this broker was down, then created again) holds
   * another topic id in its partition.metadata and is removed first, as Kafka does.
   */
  claimPartition(topic: string, partition: number, topicId: string): void {
    const dir = this.partitionDir(topic, partition);
    const owner = existsSync(dir) ? this.topicIdOf(dir) : undefined;
    if (owner !== undefined && owner !== topicId) this.removePartition(topic, partition);
    mkdirSync(dir, { recursive: true });
    if (owner !== topicId && topicId !== '') writePartitionMetadata(dir, topicId);
  }

  /** The topic id in a partition directory's partition.metadata; undefined when missing or unreadable. */
  private topicIdOf(dir: string): string | undefined {
    try {
      return readPartitionMetadata(dir);
    } catch {
      return undefined;
    }
  }

  /**
   * Removes partition directories that `isLive(topic, partition, topicId)` rejects: topics
   * deleted, or replicas moved away, while this broker was down. Directories without
   * partition.metadata (older data dirs) are kept when their topic and partition are live.
   */
  removeStrays(isLive: (topic: string, partition: number, topicId: string | undefined) => boolean): string[] {
    const removed: string[] = [];
    for (const name of readdirSync(this.root)) {
      const match = /^(.+)-(\d+)$/.exec(name);
      if (match === null) continue;
      const [, topic, partition] = match;
      const topicId = this.topicIdOf(join(this.root, name));
      if (isLive(topic!, Number(partition), topicId)) continue;
      this.removePartition(topic!, Number(partition));
      removed.push(name);
    }
    return removed;
  }

  /** The file system's size and free space under the log dir (bytes), -1 when it cannot be read. */
  space(): { totalBytes: bigint; usableBytes: bigint } {
    try {
      const s = statfsSync(this.root, { bigint: true });
      return { totalBytes: s.blocks * s.bsize, usableBytes: s.bavail * s.bsize };
    } catch {
      return { totalBytes: -1n, usableBytes: -1n };
    }
  }

  /** Finishes removals a crash interrupted. */
  removeLeftovers(): void {
    for (const name of readdirSync(this.root)) {
      if (name.endsWith(DELETE_SUFFIX)) rmSync(join(this.root, name), { recursive: true, force: true });
    }
  }
}
