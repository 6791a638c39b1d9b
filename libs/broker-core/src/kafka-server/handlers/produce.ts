import type { AppendEntry, AppendResult } from '../../broker/broker-api.js';
import { EMPTY_BUFFER } from '../../broker/error-codes.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeProduceRequest, encodeProduceResponse, makeProduceResponse, makeProduceResponsePartitionProduceResponse,
  makeProduceResponseTopicProduceResponse, type ProduceResponse,
} from '../../protocol/produce/index.js';
import { AclOperation, AclResourceType } from '../../security/acl.js';
import { kafkaAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/**
 * Produce v3+ (RecordBatch v2, the only format Weir stores): every partition's batches go
 * through the broker's shared append path (the same one REST produce uses), in request
 * order, before anything is awaited. acks=0 gets no response at all, as Kafka.
 * Each topic needs WRITE (TOPIC_AUTHORIZATION_FAILED per partition otherwise), and a
 * transactional produce WRITE on its transactional id (else every partition fails).
 *
 * ApiVersions lists Produce from v0 although v0-v2 are refused: see `advertisedMinVersion`.
 */
export const produceHandler = defineHandler({
  apiKey: API_KEYS.Produce,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 10,
  advertisedMinVersion: 0,
  decode: decodeProduceRequest,
  encode: encodeProduceResponse,
  handle(ctx, request) {
    const { broker } = ctx;
    const entries: AppendEntry[] = [];
    const rejected = new Map<number, AppendResult>();
    const txnDenied = request.transactionalId !== null && !kafkaAuthorized(ctx, AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, request.transactionalId);
    for (const topic of request.topicData) {
      const denied = txnDenied ? KAFKA_ERRORS.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        : kafkaAuthorized(ctx, AclOperation.WRITE, AclResourceType.TOPIC, topic.name) ? undefined : KAFKA_ERRORS.TOPIC_AUTHORIZATION_FAILED;
      for (const p of topic.partitionData) {
        if (denied !== undefined || p.records === null || p.records.length === 0) {
          rejected.set(entries.length, {
            topic: topic.name, partition: p.index, errorCode: denied?.code ?? KAFKA_ERRORS.INVALID_RECORD.code,
            errorMessage: denied === undefined ? 'Produce request carries no record batches' : 'Not authorized',
            baseOffset: -1n, logAppendTime: -1n, logStartOffset: -1n,
          });
        }
        entries.push({ topic: topic.name, partition: p.index, records: p.records ?? EMPTY_BUFFER });
      }
    }
    const acks = request.acks as 0 | 1 | -1;
    const accepted = rejected.size === 0 ? entries : entries.filter((_, i) => !rejected.has(i));
    const appended = broker.appendRecords(accepted, { acks, timeoutMs: request.timeoutMs });
    if (acks === 0) {
      // Nobody waits for the outcome; a failure is the broker's to log, not an unhandled rejection.
      appended.catch(() => undefined);
      return null;
    }
    return appended.then((results) => {
      let next = 0;
      const all = entries.map((_, i) => rejected.get(i) ?? results[next++]!);
      return produceResponse(all);
    });
  },
});

/** Groups per-partition results by topic, keeping the request's order. */
function produceResponse(results: readonly AppendResult[]): ProduceResponse {
  const byTopic = new Map<string, ReturnType<typeof makeProduceResponseTopicProduceResponse>>();
  for (const r of results) {
    let topic = byTopic.get(r.topic);
    if (topic === undefined) {
      topic = makeProduceResponseTopicProduceResponse({ name: r.topic });
      byTopic.set(r.topic, topic);
    }
    topic.partitionResponses.push(makeProduceResponsePartitionProduceResponse({
      index: r.partition,
      errorCode: r.errorCode,
      errorMessage: r.errorCode === 0 ? null : r.errorMessage,
      baseOffset: r.baseOffset,
      logAppendTimeMs: r.logAppendTime,
      logStartOffset: r.logStartOffset,
    }));
  }
  return makeProduceResponse({ responses: [...byTopic.values()] });
}
