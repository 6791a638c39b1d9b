import { API_KEYS } from '../protocol/api-keys.js';
import { decodeApiVersionsResponse, encodeApiVersionsRequest } from '../protocol/apiVersions/index.js';
import { decodeDeleteGroupsResponse, encodeDeleteGroupsRequest } from '../protocol/deleteGroups/index.js';
import { decodeDeleteRecordsResponse, encodeDeleteRecordsRequest } from '../protocol/deleteRecords/index.js';
import { decodeDescribeGroupsResponse, encodeDescribeGroupsRequest } from '../protocol/describeGroups/index.js';
import { decodeDescribeLogDirsResponse, encodeDescribeLogDirsRequest } from '../protocol/describeLogDirs/index.js';
import { decodeFetchResponse, encodeFetchRequest } from '../protocol/fetch/index.js';
import { decodeListGroupsResponse, encodeListGroupsRequest } from '../protocol/listGroups/index.js';
import { decodeListOffsetsResponse, encodeListOffsetsRequest } from '../protocol/listOffsets/index.js';
import { decodeMetadataResponse, encodeMetadataRequest } from '../protocol/metadata/index.js';
import { decodeOffsetCommitResponse, encodeOffsetCommitRequest } from '../protocol/offsetCommit/index.js';
import { decodeOffsetFetchResponse, encodeOffsetFetchRequest } from '../protocol/offsetFetch/index.js';
import { decodeOffsetForLeaderEpochResponse, encodeOffsetForLeaderEpochRequest } from '../protocol/offsetForLeaderEpoch/index.js';
import { decodeProduceResponse, encodeProduceRequest } from '../protocol/produce/index.js';
import { decodeWriteTxnMarkersResponse, encodeWriteTxnMarkersRequest } from '../protocol/writeTxnMarkers/index.js';
import { decodeDescribeProducersResponse, encodeDescribeProducersRequest } from '../protocol/describeProducers/index.js';
import { decodeDescribeTransactionsResponse, encodeDescribeTransactionsRequest } from '../protocol/describeTransactions/index.js';
import { decodeListTransactionsResponse, encodeListTransactionsRequest } from '../protocol/listTransactions/index.js';
import { decodeSaslAuthenticateResponse, encodeSaslAuthenticateRequest } from '../protocol/saslAuthenticate/index.js';
import { decodeSaslHandshakeResponse, encodeSaslHandshakeRequest } from '../protocol/saslHandshake/index.js';

/**
 * The APIs a broker sends to another broker, keyed by API key: the generated request
 * encoder and response decoder of each. Adding an API is one line here; its request and
 * response types then follow from the codecs (ClientRequest / ClientResponse).
 */
export const CLIENT_APIS = {
  [API_KEYS.Produce]: { name: 'Produce', encode: encodeProduceRequest, decode: decodeProduceResponse },
  [API_KEYS.Fetch]: { name: 'Fetch', encode: encodeFetchRequest, decode: decodeFetchResponse },
  [API_KEYS.ListOffsets]: { name: 'ListOffsets', encode: encodeListOffsetsRequest, decode: decodeListOffsetsResponse },
  [API_KEYS.Metadata]: { name: 'Metadata', encode: encodeMetadataRequest, decode: decodeMetadataResponse },
  [API_KEYS.ApiVersions]: { name: 'ApiVersions', encode: encodeApiVersionsRequest, decode: decodeApiVersionsResponse },
  [API_KEYS.OffsetForLeaderEpoch]: { name: 'OffsetForLeaderEpoch', encode: encodeOffsetForLeaderEpochRequest, decode: decodeOffsetForLeaderEpochResponse },
  [API_KEYS.DeleteRecords]: { name: 'DeleteRecords', encode: encodeDeleteRecordsRequest, decode: decodeDeleteRecordsResponse },
  [API_KEYS.DescribeLogDirs]: { name: 'DescribeLogDirs', encode: encodeDescribeLogDirsRequest, decode: decodeDescribeLogDirsResponse },
  [API_KEYS.ListGroups]: { name: 'ListGroups', encode: encodeListGroupsRequest, decode: decodeListGroupsResponse },
  [API_KEYS.DescribeGroups]: { name: 'DescribeGroups', encode: encodeDescribeGroupsRequest, decode: decodeDescribeGroupsResponse },
  [API_KEYS.OffsetFetch]: { name: 'OffsetFetch', encode: encodeOffsetFetchRequest, decode: decodeOffsetFetchResponse },
  [API_KEYS.OffsetCommit]: { name: 'OffsetCommit', encode: encodeOffsetCommitRequest, decode: decodeOffsetCommitResponse },
  [API_KEYS.DeleteGroups]: { name: 'DeleteGroups', encode: encodeDeleteGroupsRequest, decode: decodeDeleteGroupsResponse },
  [API_KEYS.WriteTxnMarkers]: { name: 'WriteTxnMarkers', encode: encodeWriteTxnMarkersRequest, decode: decodeWriteTxnMarkersResponse },
  [API_KEYS.DescribeProducers]: { name: 'DescribeProducers', encode: encodeDescribeProducersRequest, decode: decodeDescribeProducersResponse },
  [API_KEYS.DescribeTransactions]: { name: 'DescribeTransactions', encode: encodeDescribeTransactionsRequest, decode: decodeDescribeTransactionsResponse },
  [API_KEYS.ListTransactions]: { name: 'ListTransactions', encode: encodeListTransactionsRequest, decode: decodeListTransactionsResponse },
  [API_KEYS.SaslHandshake]: { name: 'SaslHandshake', encode: encodeSaslHandshakeRequest, decode: decodeSaslHandshakeResponse },
  [API_KEYS.SaslAuthenticate]: { name: 'SaslAuthenticate', encode: encodeSaslAuthenticateRequest, decode: decodeSaslAuthenticateResponse },
} as const;

export type ClientApiKey = keyof typeof CLIENT_APIS;
export type ClientRequest<K extends ClientApiKey> = Parameters<(typeof CLIENT_APIS)[K]['encode']>[1];
export type ClientResponse<K extends ClientApiKey> = ReturnType<(typeof CLIENT_APIS)[K]['decode']>;
