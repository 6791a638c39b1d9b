import { Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { BrokerApi } from '@weir/broker-core';
import { httpStatusOfErrorCode, type ProduceBatchRequest, type ProduceBatchResponse, type ProduceResponse, REST_ERROR_CODES } from '@weir/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { assertJsonBody } from '../common/json-only.interceptor.js';
import { requireClusterId, topicNameParam } from '../common/params.js';
import { readBufferedBody } from './buffered-body.js';
import { ConcatenatedJsonSplitter, type JsonSegment } from './concatenated-json.js';
import { DeliveryReportWriter } from './delivery-report-writer.js';
import { produceErrorReport, produceRecordStream } from './produce-stream.js';
import { deliveryReport, type EncodedRecord } from './record-encoding.js';
import { parseRecordSegment, parseRecordValue } from './record-parsing.js';

/** JSON text of one streamed record: a 1 MiB record in base64 plus room for key and headers. */
export const MAX_RECORD_JSON_BYTES = 2 * 1024 * 1024;
/** records:batch: Confluent's default is 10 entries; Weir takes more so a batch is worth its round trip. */
export const MAX_BATCH_ENTRIES = 10_000;
export const BATCH_BODY_LIMIT = 64 * 1024 * 1024;

@Injectable()
export class ProduceService {
  private readonly logger = new Logger('Produce');

  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  /**
   * POST /records: one record, or a (chunked) stream of concatenated records answered
   * with one delivery report each, in order. A body that is not JSON (415), another
   * cluster (404), a bad topic name (400) and an unknown topic (404 40403) are refused,
   * in that order, before any record is read.
   */
  async produceStream(clusterId: string, topicName: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    assertJsonBody(request.headers);
    requireClusterId(this.broker, clusterId);
    const topic = topicNameParam.transform(topicName);
    this.broker.requireTopic(topic);
    let body: AsyncIterable<Buffer> | Iterable<Buffer> = request.body instanceof Readable ? request.body : request.raw;
    const chunked = /\bchunked\b/i.test(request.headers['transfer-encoding'] ?? '');
    const contentLength = chunked ? NaN : Number(request.headers['content-length']);
    if (contentLength <= MAX_RECORD_JSON_BYTES) {
      // Small enough to be one record: read it whole and, when it is one, answer without
      // the streaming machinery (ordered report queue, PassThrough). Larger or chunked
      // bodies stream, so a long request is never held in memory.
      let bytes: Buffer;
      try {
        bytes = await readBufferedBody(body as Readable);
      } catch (err) {
        this.logger.warn(`produce request to ${topic} ended early: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      const splitter = new ConcatenatedJsonSplitter(MAX_RECORD_JSON_BYTES);
      const segments = [...splitter.push(bytes), ...splitter.end()];
      if (segments.length === 1) {
        const report = await this.produceOne(topic, segments[0]!);
        // Serialized here: a string payload skips Fastify's serializer lookup, same bytes.
        void reply.status(httpStatusOfErrorCode(report.error_code)).type('application/json').send(JSON.stringify(report));
        return;
      }
      body = [bytes]; // none or several records: the general path answers as for any stream
    }
    const writer = new DeliveryReportWriter(reply, !chunked);
    try {
      await produceRecordStream(
        { broker: this.broker, topic, maxRecordJsonBytes: MAX_RECORD_JSON_BYTES, maxGroupRecords: 2_000, maxOutstandingGroups: 8 },
        body,
        (report) => writer.write(report),
      );
    } catch (err) {
      // The request stream broke (client aborted); whatever was produced stays produced.
      this.logger.warn(`produce stream to ${topic} ended early: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      writer.finish();
    }
  }

  /** One record's delivery report: produced, or the error that refused it (never throws). */
  private async produceOne(topic: string, segment: JsonSegment): Promise<ProduceResponse> {
    const parsed = parseRecordSegment(segment);
    if (!parsed.ok) return parsed.report;
    try {
      const [result] = await this.broker.produce(topic, [parsed.encoded.record]);
      return deliveryReport(this.broker.clusterId, parsed.encoded, result!);
    } catch (err) {
      return produceErrorReport(err);
    }
  }

  /**
   * POST /records:batch: every valid entry is produced in one call; the answer (207)
   * lists successes and failures by entry id, each list in request order.
   */
  async produceBatch(topic: string, request: ProduceBatchRequest): Promise<ProduceBatchResponse> {
    this.broker.requireTopic(topic);
    const entries = request.entries;
    if (entries.length === 0) throw new RestError(REST_ERROR_CODES.PRODUCE_BATCH_INVALID, 'Empty batch.');
    if (entries.length > MAX_BATCH_ENTRIES) {
      throw new RestError(REST_ERROR_CODES.PRODUCE_BATCH_INVALID, `Too many entries in batch (at most ${MAX_BATCH_ENTRIES}).`);
    }
    if (new Set(entries.map((e) => e.id)).size !== entries.length) {
      throw new RestError(REST_ERROR_CODES.PRODUCE_BATCH_INVALID, 'Batch entry IDs are not distinct.');
    }

    const response: ProduceBatchResponse = { successes: [], failures: [] };
    const valid: Array<{ id: string; encoded: EncodedRecord }> = [];
    for (const entry of entries) {
      const parsed = parseRecordValue(entry);
      if (parsed.ok) valid.push({ id: entry.id, encoded: parsed.encoded });
      else response.failures.push({ id: entry.id, error_code: parsed.report.error_code, message: parsed.report.message ?? '' });
    }
    if (valid.length === 0) return response;

    let reports;
    try {
      const results = await this.broker.produce(topic, valid.map((v) => v.encoded.record));
      reports = results.map((result, i) => deliveryReport(this.broker.clusterId, valid[i]!.encoded, result));
    } catch (err) {
      const report = produceErrorReport(err);
      reports = valid.map(() => report);
    }
    reports.forEach((report, i) => {
      const id = valid[i]!.id;
      if (report.error_code === 200) {
        const { error_code: _code, message: _message, ...success } = report;
        response.successes.push({ id, ...success });
      } else {
        response.failures.push({ id, error_code: report.error_code, message: report.message ?? '' });
      }
    });
    return response;
  }
}
