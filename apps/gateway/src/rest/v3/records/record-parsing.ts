import { type ProduceResponse, produceRequestSchema, REST_ERROR_CODES } from '@weir/contracts';
import { describeIssues } from '../../../errors/zod-validation.pipe.js';
import type { JsonSegment } from './concatenated-json.js';
import { type EncodedRecord, encodeProduceRequest } from './record-encoding.js';

/** A record ready for the broker, or the error report that replaces it in the stream. */
export type ParsedRecord = { readonly ok: true; readonly encoded: EncodedRecord } | { readonly ok: false; readonly report: ProduceResponse };

export const RECORD_TOO_LARGE_MESSAGE = 'The request included a message larger than the maximum message size the server can accept.';

/** Parses, validates and encodes one record of a produce stream; never throws. */
export function parseRecordSegment(segment: JsonSegment): ParsedRecord {
  switch (segment.kind) {
    case 'too-large':
      return failed(REST_ERROR_CODES.PAYLOAD_TOO_LARGE, RECORD_TOO_LARGE_MESSAGE);
    case 'garbage':
      return failed(REST_ERROR_CODES.BAD_REQUEST, `Error processing JSON: unexpected "${segment.text}": a record is a JSON object`);
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(segment.text);
      } catch (err) {
        return failed(REST_ERROR_CODES.BAD_REQUEST, `Error processing JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      return parseRecordValue(value);
    }
    default: {
      const unreachable: never = segment;
      throw new Error(`unknown segment ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Validates and encodes an already-parsed record (a stream item or a records:batch entry). */
export function parseRecordValue(value: unknown): ParsedRecord {
  const parsed = produceRequestSchema.safeParse(value);
  if (!parsed.success) return failed(REST_ERROR_CODES.BAD_REQUEST, describeIssues('record', parsed.error.issues));
  return { ok: true, encoded: encodeProduceRequest(parsed.data) };
}

function failed(errorCode: number, message: string): ParsedRecord {
  return { ok: false, report: { error_code: errorCode, message } };
}
