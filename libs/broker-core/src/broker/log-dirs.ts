import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { partitionDirName } from '../log/segment/file-names.js';
import { readPartitionMetadata, writePartitionMetadata } from '../log/partition/partition-metadata.js';

const DELETE_SUFFIX = '-delete';
/** `<topic>-<partition>`: the topic is everything before the last dash. */
const PARTITION_DIR = /^(.+)-(\d+)$/;

/**
 * The broker's log directory, `<dataDir>/logs`, holding one `<topic>-<partition>`
 * directory per hosted replica (Kafka's log.dirs layout). A deleted partition's
 * directory is first renamed to `<topic>-<partition>.<uuid>-delete`, as Kafka does, so a
 * crash in the middle of removing files never leaves something that looks like a live
 * log; leftovers with that suffix are removed on the next start.
 */
export class LogDirs {
  /**
   * Partition numbers with a directory, by topic: one listing of the root, then kept up
   * to date by claimPartition and removePartition (only this class creates or removes
   * partition directories), so a topic creation does not list 40,000 directories.
   */
  private onDisk: Map<string, Set<number>> | undefined;

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  partitionDir(topic: string, partition: number): string {
    return join(this.root, partitionDirName(topic, partition));
  }

  /** Whether the partition has a directory (from the one listing, kept up to date). */
  hasPartitionDir(topic: string, partition: number): boolean {
    return this.listing().get(topic)?.has(partition) ?? false;
  }

  /** Partition numbers that have a directory for `topic`. */
  partitionsOnDisk(topic: string): number[] {
    return [...(this.listing().get(topic) ?? [])].sort((a, b) => a - b);
  }

  private listing(): Map<string, Set<number>> {
    if (this.onDisk === undefined) {
      this.onDisk = new Map();
      for (const name of readdirSync(this.root)) {
        const match = PARTITION_DIR.exec(name);
        if (match !== null) this.noteOnDisk(match[1]!, Number(match[2]), true);
      }
    }
    return this.onDisk;
  }

  private noteOnDisk(topic: string, partition: number, present: boolean): void {
    const listing = this.onDisk;
    if (listing === undefined) return;
    let partitions = listing.get(topic);
    if (present) {
      if (partitions === undefined) listing.set(topic, (partitions = new Set()));
      partitions.add(partition);
    } else if (partitions?.delete(partition) && partitions.size === 0) {
      listing.delete(topic);
    }
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
    this.noteOnDisk(topic, partition, false);
    rmSync(doomed, { recursive: true, force: true });
  }

  /**
   * Makes the partition's directory the given topic's: a directory left by an older topic
   * of the same name (deleted while this broker was down, then created again) holds
   * another topic id in its partition.metadata and is removed first, as Kafka does.
   *
   * In a directory created here the file is not fsynced (one fsync fewer per partition
   * when thousands are created): lost or cut short in a crash, it reads as missing and
   * is written again at the next open, and the directory holds nothing else of value yet.
   */
  claimPartition(topic: string, partition: number, topicId: string): void {
    const dir = this.partitionDir(topic, partition);
    const existed = existsSync(dir);
    const owner = existed ? this.topicIdOf(dir) : undefined;
    if (owner !== undefined && owner !== topicId) this.removePartition(topic, partition);
    mkdirSync(dir, { recursive: true });
    this.noteOnDisk(topic, partition, true);
    if (owner !== topicId && topicId !== '') writePartitionMetadata(dir, topicId, existed);
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
   * Removes partition directories whose topic and partition `isHosted` rejects: topics
   * deleted, or replicas moved away, while this broker was down. Only the names are read
   * (one listing, whatever the number of partitions): a hosted partition's directory left
   * by an older topic of the same name is found by its partition.metadata when the log
   * is first opened (claimPartition), and removed then.
   */
  removeStrays(isHosted: (topic: string, partition: number) => boolean): string[] {
    const removed: string[] = [];
    for (const name of readdirSync(this.root)) {
      const match = PARTITION_DIR.exec(name);
      if (match === null) continue;
      const [, topic, partition] = match;
      if (isHosted(topic!, Number(partition))) continue;
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
