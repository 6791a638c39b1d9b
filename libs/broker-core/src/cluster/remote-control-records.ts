import { LENGTH_OFFSET, LOG_OVERHEAD, lastOffsetNumberAt } from '../log/batch/batch-header.js';
import { controlOffsetsWithin } from '../log/batch/control-record.js';
import { CONTROL_SCAN_MAX_BYTES } from '../log/producer/log-scans.js';
import type { RemoteLog } from './remote-partitions-reader.js';

/** Stored bytes asked per Fetch while counting. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * How many offsets in [from, to) of a partition led in another process hold control
 * records (transaction markers), from its stored batches read over Fetch (headers only, no
 * record decoded). Reading stops after CONTROL_SCAN_MAX_BYTES: markers past that are not
 * counted (a lag that large is not changed in any figure shown by a few markers).
 */
export async function countRemoteControlRecords(log: RemoteLog, from: bigint, to: bigint): Promise<number> {
  let count = 0;
  let next = from;
  let scanned = 0;
  while (next < to && scanned < CONTROL_SCAN_MAX_BYTES) {
    const records = await log.read(next, CHUNK_BYTES);
    if (records.length === 0) break;
    scanned += records.length;
    let pos = 0;
    let lastSeen = -1;
    while (pos + LOG_OVERHEAD <= records.length) {
      const size = LOG_OVERHEAD + records.readInt32BE(pos + LENGTH_OFFSET);
      if (pos + size > records.length) break;
      lastSeen = lastOffsetNumberAt(records, pos);
      count += controlOffsetsWithin(records, pos, Number(from), Number(to));
      pos += size;
    }
    if (lastSeen < Number(next)) break;
    next = BigInt(lastSeen + 1);
  }
  return count;
}
