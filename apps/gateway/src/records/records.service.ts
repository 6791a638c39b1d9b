import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi, ReadStart } from '@weir/broker-core';
import { readRecordsQuerySchema, type ReadRecordsQuery, type ReadRecordsResponse } from '@weir/contracts';
import { BROKER } from '../broker/broker.module.js';
import { RestError } from '../errors/rest-error.js';
import { scanFiltered } from './filtered-scan.js';
import { recordPredicate } from './record-filter.js';
import { renderRecord, type RenderFormats } from './record-render.js';

/**
 * Weir's read endpoint: records of one partition through `BrokerApi.readRecords`, from
 * an offset, a timestamp or either end, in either direction, bounded by count and
 * bytes, rendered as the caller asks; with substring filters, a scan bounded by its
 * budget (`filtered-scan.ts`).
 */
@Injectable()
export class RecordsService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  async read(clusterId: string, topic: string, partitionParam: string, rawQuery: unknown): Promise<ReadRecordsResponse> {
    if (clusterId !== this.broker.clusterId) throw new RestError(404, `Cluster ${clusterId} cannot be found.`);
    if (!/^\d{1,10}$/.test(partitionParam)) throw new RestError(400, `partition_id must be a non-negative integer, got "${partitionParam}"`);
    const partition = Number(partitionParam);
    const parsed = readRecordsQuerySchema.safeParse(rawQuery ?? {});
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      throw new RestError(400, `Invalid query: ${why}`);
    }
    const q = parsed.data;
    const description = this.broker.describeTopic(topic); // UNKNOWN_TOPIC_OR_PARTITION -> 404 40403
    const info = description.partitions[partition];
    if (info === undefined) throw new RestError(40403, `Partition ${partition} of topic ${topic} not found.`);
    // Checked here, with the numbers in the message, so a script knows where the log starts and ends.
    if (q.offset !== undefined && (q.offset < info.logStartOffset || q.offset > info.highWatermark)) {
      throw new RestError(
        40402,
        `Offset ${q.offset} is out of range for ${topic}-${partition}: the log holds offsets ${info.logStartOffset} to ${info.highWatermark} (exclusive).`,
      );
    }

    const read = { start: startOf(q), direction: q.direction, maxRecords: q.max_records, maxBytes: q.max_bytes };
    const accept = recordPredicate(q);
    const scan = accept === undefined ? undefined : await scanFiltered(this.broker, topic, partition, accept, { ...read, maxScanRecords: q.max_scan_records, maxScanBytes: q.max_scan_bytes });
    const result = scan ?? (await this.broker.readRecords(topic, partition, read));
    const formats = formatsOf(q);
    return {
      kind: 'KafkaRecordList',
      topic_name: topic,
      partition_id: partition,
      direction: q.direction,
      records: result.records.map((r) => renderRecord(r, formats)),
      next_offset: Number(result.nextOffset),
      log_start_offset: Number(result.logStartOffset),
      high_watermark: Number(result.highWatermark),
      // Described before the read, so it is at most the HW the read saw.
      last_stable_offset: Number(info.lastStableOffset),
      ...(scan !== undefined && {
        scanned_records: scan.scannedRecords,
        scanned_to_offset: Number(scan.scannedToOffset),
        scan_budget_exhausted: scan.budgetExhausted,
      }),
    };
  }
}

function startOf(q: ReadRecordsQuery): ReadStart {
  if (q.offset !== undefined) return { offset: q.offset };
  if (q.timestamp !== undefined) return { timestamp: q.timestamp };
  return { position: q.from ?? (q.direction === 'backward' ? 'newest' : 'oldest') };
}

function formatsOf(q: ReadRecordsQuery): RenderFormats {
  return { key: q.key_format ?? q.format, value: q.value_format ?? q.format, header: q.header_format ?? q.format, maxFieldBytes: q.max_field_bytes };
}
