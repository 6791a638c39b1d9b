import type { BrokerApi } from '@weir/broker-core';
import type { ProduceResponse } from '@weir/contracts';
import { confluentErrorOf } from '../../../errors/confluent-exception.filter.js';
import { ConcatenatedJsonSplitter, type JsonSegment } from './concatenated-json.js';
import { OrderedReports } from './ordered-reports.js';
import { deliveryReport, type EncodedRecord } from './record-encoding.js';
import { parseRecordSegment } from './record-parsing.js';

export interface ProduceStreamOptions {
  readonly broker: BrokerApi;
  readonly topic: string;
  /** The JSON text of one record may not exceed this (a 413 report replaces it). */
  readonly maxRecordJsonBytes: number;
  /** Records per broker.produce call at most. */
  readonly maxGroupRecords: number;
  /** Groups produced but not yet reported before reading pauses. */
  readonly maxOutstandingGroups: number;
}

/**
 * Produces a stream of concatenated JSON records, one delivery report per record in
 * request order. Consecutive valid records of a chunk go to the broker in one produce
 * call (one record batch per partition); a bad record becomes a 400 report in its
 * place and the records around it are produced as usual. Produce calls are chained, so
 * they reach the broker in request order, while reading and parsing go on meanwhile.
 */
export async function produceRecordStream(
  options: ProduceStreamOptions,
  body: AsyncIterable<Buffer> | Iterable<Buffer>,
  write: (report: ProduceResponse) => Promise<void>,
): Promise<void> {
  const { broker, topic } = options;
  const splitter = new ConcatenatedJsonSplitter(options.maxRecordJsonBytes);
  const reports = new OrderedReports(write, options.maxOutstandingGroups);
  let produceTail: Promise<unknown> = Promise.resolve();

  const produceGroup = (group: readonly EncodedRecord[]): void => {
    const produced = produceTail.then(() => broker.produce(topic, group.map((e) => e.record)));
    produceTail = produced.catch(() => undefined);
    reports.enqueue(
      produced.then(
        (results) => results.map((result, i) => deliveryReport(broker.clusterId, group[i]!, result)),
        (err: unknown) => group.map(() => produceErrorReport(err)),
      ),
    );
  };

  const handle = (segments: readonly JsonSegment[]): void => {
    let group: EncodedRecord[] = [];
    for (const segment of segments) {
      const parsed = parseRecordSegment(segment);
      if (parsed.ok) {
        group.push(parsed.encoded);
        if (group.length >= options.maxGroupRecords) {
          produceGroup(group);
          group = [];
        }
        continue;
      }
      if (group.length > 0) produceGroup(group);
      group = [];
      reports.enqueue(Promise.resolve([parsed.report]));
    }
    if (group.length > 0) produceGroup(group);
  };

  for await (const chunk of body) {
    handle(splitter.push(chunk));
    await reports.waitForRoom();
    if (reports.failed) break;
  }
  if (!reports.failed) handle(splitter.end());
  await reports.drain();
}

/** The report of a record whose produce call failed as a whole (e.g. the topic was deleted meanwhile). */
export function produceErrorReport(err: unknown): ProduceResponse {
  const { body } = confluentErrorOf(err);
  return { error_code: body.error_code, message: body.message ?? 'Produce failed' };
}
