import { API_KEYS, responseHeaderVersion } from '../../protocol/api-keys.js';
import { decodeCreateAclsRequest, decodeCreateAclsResponse } from '../../protocol/createAcls/index.js';
import { decodeDeleteAclsRequest, decodeDeleteAclsResponse } from '../../protocol/deleteAcls/index.js';
import { decodeDescribeAclsRequest, decodeDescribeAclsResponse } from '../../protocol/describeAcls/index.js';
import { decodeSaslAuthenticateRequest, decodeSaslAuthenticateResponse } from '../../protocol/saslAuthenticate/index.js';
import { decodeSaslHandshakeRequest, decodeSaslHandshakeResponse } from '../../protocol/saslHandshake/index.js';
import { decodeAlterConfigsRequest, decodeAlterConfigsResponse } from '../../protocol/alterConfigs/index.js';
import { decodeApiVersionsRequest, decodeApiVersionsResponse } from '../../protocol/apiVersions/index.js';
import { type CreatePartitionsRequest, decodeCreatePartitionsRequest, decodeCreatePartitionsResponse } from '../../protocol/createPartitions/index.js';
import { type CreateTopicsRequest, decodeCreateTopicsRequest, decodeCreateTopicsResponse } from '../../protocol/createTopics/index.js';
import { decodeDeleteRecordsRequest, decodeDeleteRecordsResponse } from '../../protocol/deleteRecords/index.js';
import { decodeDeleteTopicsRequest, decodeDeleteTopicsResponse } from '../../protocol/deleteTopics/index.js';
import { decodeDescribeClusterRequest, decodeDescribeClusterResponse } from '../../protocol/describeCluster/index.js';
import { decodeDescribeConfigsRequest, decodeDescribeConfigsResponse } from '../../protocol/describeConfigs/index.js';
import { decodeFetchRequest, type FetchRequest } from '../../protocol/fetch/request.js';
import { decodeFetchResponse } from '../../protocol/fetch/response.js';
import { decodeRequestHeader, decodeResponseHeader, type RequestHeader } from '../../protocol/header.js';
import { decodeIncrementalAlterConfigsRequest, decodeIncrementalAlterConfigsResponse } from '../../protocol/incrementalAlterConfigs/index.js';
import { decodeListOffsetsRequest, decodeListOffsetsResponse } from '../../protocol/listOffsets/index.js';
import { decodeMetadataRequest, decodeMetadataResponse } from '../../protocol/metadata/index.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { decodeProduceRequest, decodeProduceResponse, type ProduceRequest } from '../../protocol/produce/index.js';
import { decodeAlterPartitionReassignmentsRequest, decodeAlterPartitionReassignmentsResponse } from '../../protocol/alterPartitionReassignments/index.js';
import { decodeDescribeLogDirsRequest, decodeDescribeLogDirsResponse } from '../../protocol/describeLogDirs/index.js';
import { decodeElectLeadersRequest, decodeElectLeadersResponse } from '../../protocol/electLeaders/index.js';
import { decodeListPartitionReassignmentsRequest, decodeListPartitionReassignmentsResponse } from '../../protocol/listPartitionReassignments/index.js';
import { decodeOffsetForLeaderEpochRequest, decodeOffsetForLeaderEpochResponse } from '../../protocol/offsetForLeaderEpoch/index.js';
import { decodeDeleteGroupsRequest, decodeDeleteGroupsResponse } from '../../protocol/deleteGroups/index.js';
import { decodeDescribeGroupsRequest, decodeDescribeGroupsResponse } from '../../protocol/describeGroups/index.js';
import { decodeFindCoordinatorRequest, decodeFindCoordinatorResponse } from '../../protocol/findCoordinator/index.js';
import { decodeHeartbeatRequest, decodeHeartbeatResponse } from '../../protocol/heartbeat/index.js';
import { decodeJoinGroupRequest, decodeJoinGroupResponse, type JoinGroupRequest } from '../../protocol/joinGroup/index.js';
import { decodeLeaveGroupRequest, decodeLeaveGroupResponse } from '../../protocol/leaveGroup/index.js';
import { decodeListGroupsRequest, decodeListGroupsResponse } from '../../protocol/listGroups/index.js';
import { decodeOffsetCommitRequest, decodeOffsetCommitResponse } from '../../protocol/offsetCommit/index.js';
import { decodeOffsetDeleteRequest, decodeOffsetDeleteResponse } from '../../protocol/offsetDelete/index.js';
import { decodeOffsetFetchRequest, decodeOffsetFetchResponse } from '../../protocol/offsetFetch/index.js';
import { decodeSyncGroupRequest, decodeSyncGroupResponse } from '../../protocol/syncGroup/index.js';
import { decodeInitProducerIdRequest, decodeInitProducerIdResponse } from '../../protocol/initProducerId/index.js';
import { decodeAddPartitionsToTxnRequest, decodeAddPartitionsToTxnResponse } from '../../protocol/addPartitionsToTxn/index.js';
import { decodeAddOffsetsToTxnRequest, decodeAddOffsetsToTxnResponse } from '../../protocol/addOffsetsToTxn/index.js';
import { decodeEndTxnRequest, decodeEndTxnResponse } from '../../protocol/endTxn/index.js';
import { decodeWriteTxnMarkersRequest, decodeWriteTxnMarkersResponse } from '../../protocol/writeTxnMarkers/index.js';
import { decodeTxnOffsetCommitRequest, decodeTxnOffsetCommitResponse } from '../../protocol/txnOffsetCommit/index.js';
import { decodeDescribeProducersRequest, decodeDescribeProducersResponse } from '../../protocol/describeProducers/index.js';
import { decodeDescribeTransactionsRequest, decodeDescribeTransactionsResponse } from '../../protocol/describeTransactions/index.js';
import { decodeListTransactionsRequest, decodeListTransactionsResponse } from '../../protocol/listTransactions/index.js';
import type { ApiHandler } from '../api-handler.js';

type Decode = (reader: Reader, version: number) => unknown;

/** The request and response decoders of every API with generated codecs. */
export const CODECS: ReadonlyMap<number, { readonly request: Decode; readonly response: Decode }> = new Map([
  [API_KEYS.Produce, { request: decodeProduceRequest, response: decodeProduceResponse }],
  [API_KEYS.Fetch, { request: decodeFetchRequest, response: decodeFetchResponse }],
  [API_KEYS.ListOffsets, { request: decodeListOffsetsRequest, response: decodeListOffsetsResponse }],
  [API_KEYS.Metadata, { request: decodeMetadataRequest, response: decodeMetadataResponse }],
  [API_KEYS.ApiVersions, { request: decodeApiVersionsRequest, response: decodeApiVersionsResponse }],
  [API_KEYS.CreateTopics, { request: decodeCreateTopicsRequest, response: decodeCreateTopicsResponse }],
  [API_KEYS.DeleteTopics, { request: decodeDeleteTopicsRequest, response: decodeDeleteTopicsResponse }],
  [API_KEYS.DeleteRecords, { request: decodeDeleteRecordsRequest, response: decodeDeleteRecordsResponse }],
  [API_KEYS.DescribeConfigs, { request: decodeDescribeConfigsRequest, response: decodeDescribeConfigsResponse }],
  [API_KEYS.AlterConfigs, { request: decodeAlterConfigsRequest, response: decodeAlterConfigsResponse }],
  [API_KEYS.CreatePartitions, { request: decodeCreatePartitionsRequest, response: decodeCreatePartitionsResponse }],
  [API_KEYS.IncrementalAlterConfigs, { request: decodeIncrementalAlterConfigsRequest, response: decodeIncrementalAlterConfigsResponse }],
  [API_KEYS.DescribeCluster, { request: decodeDescribeClusterRequest, response: decodeDescribeClusterResponse }],
  [API_KEYS.OffsetForLeaderEpoch, { request: decodeOffsetForLeaderEpochRequest, response: decodeOffsetForLeaderEpochResponse }],
  [API_KEYS.ElectLeaders, { request: decodeElectLeadersRequest, response: decodeElectLeadersResponse }],
  [API_KEYS.AlterPartitionReassignments, { request: decodeAlterPartitionReassignmentsRequest, response: decodeAlterPartitionReassignmentsResponse }],
  [API_KEYS.ListPartitionReassignments, { request: decodeListPartitionReassignmentsRequest, response: decodeListPartitionReassignmentsResponse }],
  [API_KEYS.DescribeLogDirs, { request: decodeDescribeLogDirsRequest, response: decodeDescribeLogDirsResponse }],
  [API_KEYS.FindCoordinator, { request: decodeFindCoordinatorRequest, response: decodeFindCoordinatorResponse }],
  [API_KEYS.JoinGroup, { request: decodeJoinGroupRequest, response: decodeJoinGroupResponse }],
  [API_KEYS.SyncGroup, { request: decodeSyncGroupRequest, response: decodeSyncGroupResponse }],
  [API_KEYS.Heartbeat, { request: decodeHeartbeatRequest, response: decodeHeartbeatResponse }],
  [API_KEYS.LeaveGroup, { request: decodeLeaveGroupRequest, response: decodeLeaveGroupResponse }],
  [API_KEYS.OffsetCommit, { request: decodeOffsetCommitRequest, response: decodeOffsetCommitResponse }],
  [API_KEYS.OffsetFetch, { request: decodeOffsetFetchRequest, response: decodeOffsetFetchResponse }],
  [API_KEYS.OffsetDelete, { request: decodeOffsetDeleteRequest, response: decodeOffsetDeleteResponse }],
  [API_KEYS.DescribeGroups, { request: decodeDescribeGroupsRequest, response: decodeDescribeGroupsResponse }],
  [API_KEYS.ListGroups, { request: decodeListGroupsRequest, response: decodeListGroupsResponse }],
  [API_KEYS.DeleteGroups, { request: decodeDeleteGroupsRequest, response: decodeDeleteGroupsResponse }],
  [API_KEYS.InitProducerId, { request: decodeInitProducerIdRequest, response: decodeInitProducerIdResponse }],
  [API_KEYS.AddPartitionsToTxn, { request: decodeAddPartitionsToTxnRequest, response: decodeAddPartitionsToTxnResponse }],
  [API_KEYS.AddOffsetsToTxn, { request: decodeAddOffsetsToTxnRequest, response: decodeAddOffsetsToTxnResponse }],
  [API_KEYS.EndTxn, { request: decodeEndTxnRequest, response: decodeEndTxnResponse }],
  [API_KEYS.WriteTxnMarkers, { request: decodeWriteTxnMarkersRequest, response: decodeWriteTxnMarkersResponse }],
  [API_KEYS.TxnOffsetCommit, { request: decodeTxnOffsetCommitRequest, response: decodeTxnOffsetCommitResponse }],
  [API_KEYS.DescribeProducers, { request: decodeDescribeProducersRequest, response: decodeDescribeProducersResponse }],
  [API_KEYS.DescribeTransactions, { request: decodeDescribeTransactionsRequest, response: decodeDescribeTransactionsResponse }],
  [API_KEYS.ListTransactions, { request: decodeListTransactionsRequest, response: decodeListTransactionsResponse }],
  [API_KEYS.DescribeAcls, { request: decodeDescribeAclsRequest, response: decodeDescribeAclsResponse }],
  [API_KEYS.CreateAcls, { request: decodeCreateAclsRequest, response: decodeCreateAclsResponse }],
  [API_KEYS.DeleteAcls, { request: decodeDeleteAclsRequest, response: decodeDeleteAclsResponse }],
  [API_KEYS.SaslHandshake, { request: decodeSaslHandshakeRequest, response: decodeSaslHandshakeResponse }],
  [API_KEYS.SaslAuthenticate, { request: decodeSaslAuthenticateRequest, response: decodeSaslAuthenticateResponse }],
]);

/** What the listener must do with one complete request frame. */
export type FrameVerdict =
  | {
      readonly kind: 'respond';
      readonly correlationId: number;
      readonly apiKey: number;
      /** The version the response is in (v0 for ApiVersions' UNSUPPORTED_VERSION answer). */
      readonly responseVersion: number;
      readonly responseHeaderVersion: 0 | 1;
    }
  /** Produce with acks=0: no response, and the connection stays open. */
  | { readonly kind: 'silent' }
  | { readonly kind: 'close'; readonly reason: string };

/**
 * The listener's contract for one frame (connection.ts): a request header it cannot
 * read, an API it does not serve, a version outside the served range (except
 * ApiVersions, answered in v0 with UNSUPPORTED_VERSION, KIP-511) or a body its decoder
 * rejects closes the connection; Produce with acks=0 gets no response; anything else
 * gets a response carrying the request's correlation id. Decided with the same header
 * and body decoders the listener uses, so a difference is the listener's doing.
 */
export function judgeFrame(frame: Buffer, served: ReadonlyMap<number, Pick<ApiHandler, 'minVersion' | 'maxVersion'>>): FrameVerdict & { readonly header?: RequestHeader; readonly bodyOffset?: number; readonly request?: unknown } {
  const reader = new Reader(frame);
  let header: RequestHeader;
  try {
    header = decodeRequestHeader(reader);
  } catch {
    return { kind: 'close', reason: 'unreadable header' };
  }
  const range = served.get(header.apiKey);
  const codec = CODECS.get(header.apiKey);
  if (range === undefined || codec === undefined) return { kind: 'close', reason: 'unknown api key' };
  if (header.apiVersion < range.minVersion || header.apiVersion > range.maxVersion) {
    if (header.apiKey !== API_KEYS.ApiVersions) return { kind: 'close', reason: 'unsupported version' };
    return { kind: 'respond', correlationId: header.correlationId, apiKey: header.apiKey, responseVersion: 0, responseHeaderVersion: 0, header };
  }
  const bodyOffset = reader.offset;
  let request: unknown;
  try {
    request = codec.request(reader, header.apiVersion);
  } catch {
    return { kind: 'close', reason: 'undecodable body' };
  }
  if (header.apiKey === API_KEYS.Produce && (request as ProduceRequest).acks === 0) return { kind: 'silent', header, bodyOffset, request };
  return {
    kind: 'respond',
    correlationId: header.correlationId,
    apiKey: header.apiKey,
    responseVersion: header.apiVersion,
    responseHeaderVersion: responseHeaderVersion(header.apiKey, header.apiVersion),
    header,
    bodyOffset,
    request,
  };
}

/**
 * Checks a response frame against its verdict: the correlation id, then the header and
 * body decoding with the generated response decoder, to the last byte. Returns what is
 * wrong, or undefined.
 */
export function checkResponse(frame: Buffer, verdict: Extract<FrameVerdict, { kind: 'respond' }>): string | undefined {
  if (frame.length < 4) return `response of ${frame.length} bytes`;
  const correlationId = frame.readInt32BE(0);
  if (correlationId !== verdict.correlationId) return `correlation id ${correlationId}, expected ${verdict.correlationId}`;
  const reader = new Reader(frame);
  try {
    decodeResponseHeader(reader, verdict.responseHeaderVersion);
    CODECS.get(verdict.apiKey)!.response(reader, verdict.responseVersion);
  } catch (err) {
    return `response does not decode: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (reader.remaining !== 0) return `${reader.remaining} bytes after the response`;
  return undefined;
}

/** One frame of the stream as the listener will cut it. */
export interface ServerFrame {
  /** Stream offset of its size prefix. */
  readonly start: number;
  /** Stream offset just past it. */
  readonly end: number;
  readonly verdict: FrameVerdict;
}

/** Cap on Fetch max_wait_ms: a long-poll legitimately holds its connection's later responses back. */
export const DEFAULT_MAX_WAIT_CAP_MS = 200;

/**
 * Most partitions one CreateTopics or CreatePartitions request may ask for. A mutated
 * count easily asks for thousands, which is valid (Weir allows 10,000 per topic) and
 * costs the broker seconds of synchronous log creation and deletion: frames asking for
 * more are not sent (and counted as skipped), so the run measures the listener rather
 * than the cost of large topics.
 */
export const DEFAULT_MAX_PARTITIONS_PER_REQUEST = 50;

/** Partitions a decoded CreateTopics or CreatePartitions request asks for (0 for other APIs). */
export function partitionsAskedFor(apiKey: number, request: unknown): number {
  if (apiKey === API_KEYS.CreateTopics) {
    let total = 0;
    for (const t of (request as CreateTopicsRequest).topics) total += Math.max(1, t.numPartitions, t.assignments.length);
    return total;
  }
  if (apiKey === API_KEYS.CreatePartitions) {
    let total = 0;
    for (const t of (request as CreatePartitionsRequest).topics) total += Math.max(0, t.count);
    return total;
  }
  return 0;
}

/**
 * The byte stream of one connection as the listener will read it: cut into frames by the
 * size prefixes (FrameDecoder's rules, lies included), each judged by `judgeFrame`, up to
 * the first frame (or size prefix) that closes the connection.
 *
 * Fetch requests asking to wait longer than `maxWaitCapMs` are rewritten in place to
 * wait that long: the frame's grammar is unchanged, only the value. So are JoinGroups
 * that would park at the coordinator until a rebalance completes (a new member before
 * v4, or a static member): their session timeout becomes 0, which the coordinator
 * refuses at once (INVALID_SESSION_TIMEOUT), since fuzz clients never finish a rebalance.
 */
export class StreamModel {
  /** The stream's bytes are `buf[0, len)`; the buffer doubles as it fills, so appending stays linear. */
  private buf = Buffer.alloc(0);
  private len = 0;
  private cursor = 0;
  readonly frames: ServerFrame[] = [];
  /** Set once the listener is expected to close the connection. */
  closeReason: string | undefined;
  /** Where the bytes that close the connection start (a closing frame's size prefix). */
  closeAt: number | undefined;

  constructor(
    private readonly served: ReadonlyMap<number, Pick<ApiHandler, 'minVersion' | 'maxVersion'>>,
    private readonly maxRequestBytes: number,
    private readonly maxWaitCapMs = DEFAULT_MAX_WAIT_CAP_MS,
    private readonly maxPartitionsPerRequest = DEFAULT_MAX_PARTITIONS_PER_REQUEST,
  ) {}

  /** The bytes to send (with any Fetch waits capped). */
  get bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  get length(): number {
    return this.len;
  }

  /** Bytes the listener will hold waiting for the rest of a frame (0 when every frame is complete). */
  get pendingBytes(): number {
    return this.closeReason === undefined ? this.len - this.cursor : 0;
  }

  /** How many more bytes the frame being assembled needs (0 if none is). */
  get missingBytes(): number {
    if (this.closeReason !== undefined || this.cursor === this.len) return 0;
    if (this.len - this.cursor < 4) return 4 - (this.len - this.cursor);
    return this.buf.readInt32BE(this.cursor) - (this.len - this.cursor - 4);
  }

  /**
   * Adds bytes to the stream and judges every frame they complete. Returns false, and
   * leaves the model as it was, when a completed frame asks for more partitions than
   * allowed (see DEFAULT_MAX_PARTITIONS_PER_REQUEST): those bytes are not to be sent.
   */
  append(bytes: Buffer): boolean {
    if (this.closeReason !== undefined) throw new Error('the stream is already closed');
    const before = { len: this.len, cursor: this.cursor, frames: this.frames.length };
    /** Fetch waits capped during this append (offset, value before), undone with it. */
    const capped: [number, number][] = [];
    if (this.len + bytes.length > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.len + bytes.length, this.buf.length * 2, 256));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
    }
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
    while (this.closeReason === undefined && this.len - this.cursor >= 4) {
      const size = this.buf.readInt32BE(this.cursor);
      if (size < 0 || size > this.maxRequestBytes) {
        this.closeReason = `size prefix ${size}`;
        this.closeAt = this.cursor;
        return true;
      }
      if (this.len - this.cursor - 4 < size) return true;
      const start = this.cursor;
      const body = this.buf.subarray(start + 4, start + 4 + size);
      const verdict = judgeFrame(body, this.served);
      if (verdict.header !== undefined && verdict.request !== undefined && partitionsAskedFor(verdict.header.apiKey, verdict.request) > this.maxPartitionsPerRequest) {
        for (const [at, value] of capped.reverse()) this.buf.writeInt32BE(value, at);
        this.len = before.len;
        this.cursor = before.cursor;
        this.frames.length = before.frames;
        this.closeReason = undefined;
        this.closeAt = undefined;
        return false;
      }
      const cap = this.capFetchWait(body, verdict) ?? this.capJoinWait(body, verdict);
      if (cap !== undefined) capped.push([start + 4 + cap[0], cap[1]]);
      this.cursor += 4 + size;
      this.frames.push({ start, end: this.cursor, verdict: stripDetail(verdict) });
      if (verdict.kind === 'close') {
        this.closeReason = verdict.reason;
        this.closeAt = start;
      }
    }
    return true;
  }

  /**
   * Where the bytes that end the connection start: the closing frame, or the unfinished
   * one the client will half-close on; undefined when the connection stays open.
   */
  get endingAt(): number | undefined {
    if (this.closeAt !== undefined) return this.closeAt;
    return this.cursor < this.len ? this.cursor : undefined;
  }

  /** The server frame holding stream offset `at`, if the listener gets to read it. */
  frameAt(at: number): ServerFrame | undefined {
    let lo = 0;
    let hi = this.frames.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.frames[mid]!;
      if (at < f.start) hi = mid - 1;
      else if (at >= f.end) lo = mid + 1;
      else return f;
    }
    return undefined;
  }

  /** Lowers a Fetch's max_wait_ms to the cap; returns where (in the frame) and the value it had. */
  private capFetchWait(body: Buffer, verdict: ReturnType<typeof judgeFrame>): [number, number] | undefined {
    if (verdict.header?.apiKey !== API_KEYS.Fetch || verdict.request === undefined || verdict.bodyOffset === undefined) return undefined;
    const request = verdict.request as FetchRequest;
    if (request.maxWaitMs <= this.maxWaitCapMs) return undefined;
    // max_wait_ms is the body's first field from v15 (replica_id moved to a tagged field), its second before.
    const at = verdict.bodyOffset + (verdict.header.apiVersion <= 14 ? 4 : 0);
    body.writeInt32BE(this.maxWaitCapMs, at);
    return [at, request.maxWaitMs];
  }

  /** Gives a JoinGroup that would park a session timeout of 0; returns where (in the frame) and the value it had. */
  private capJoinWait(body: Buffer, verdict: ReturnType<typeof judgeFrame>): [number, number] | undefined {
    if (verdict.header?.apiKey !== API_KEYS.JoinGroup || verdict.request === undefined || verdict.bodyOffset === undefined) return undefined;
    const request = verdict.request as JoinGroupRequest;
    const version = verdict.header.apiVersion;
    const parks = request.memberId === '' && (version < 4 || request.groupInstanceId !== null);
    if (!parks || request.sessionTimeoutMs === 0) return undefined;
    // session_timeout_ms follows group_id: an INT16 length before v6, an unsigned varint of length + 1 from v6 (flexible).
    const idBytes = Buffer.byteLength(request.groupId, 'utf8');
    const at = verdict.bodyOffset + idBytes + (version >= 6 ? unsignedVarintSize(idBytes + 1) : 2);
    body.writeInt32BE(0, at);
    return [at, request.sessionTimeoutMs];
  }
}

function unsignedVarintSize(value: number): number {
  let size = 1;
  for (let v = value >>> 7; v !== 0; v >>>= 7) size++;
  return size;
}

function stripDetail(verdict: ReturnType<typeof judgeFrame>): FrameVerdict {
  switch (verdict.kind) {
    case 'respond':
      return { kind: 'respond', correlationId: verdict.correlationId, apiKey: verdict.apiKey, responseVersion: verdict.responseVersion, responseHeaderVersion: verdict.responseHeaderVersion };
    case 'silent':
      return { kind: 'silent' };
    case 'close':
      return verdict;
  }
}
