import type { DecodedField, RecordFormat } from '@weir/contracts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Renders record bytes for people and scripts without ever lying about them: text that
 * is not UTF-8 falls back to base64, text that is not JSON (or was cut at
 * `maxFieldBytes`, so cannot be parsed) falls back to a string, and `format` always
 * says what `data` holds. `size` is the full length, before truncation.
 */
export function decodeField(bytes: Buffer | null, asked: RecordFormat, maxFieldBytes: number): DecodedField | null {
  if (bytes === null) return null;
  const truncated = bytes.length > maxFieldBytes;
  const shown = truncated ? bytes.subarray(0, maxFieldBytes) : bytes;
  const field = (format: RecordFormat, data: unknown): DecodedField => ({ format, data, size: bytes.length, truncated });
  switch (asked) {
    case 'base64':
      return field('base64', shown.toString('base64'));
    case 'hex':
      return field('hex', shown.toString('hex'));
    case 'string':
    case 'json': {
      const text = utf8(shown, truncated);
      if (text === undefined) return field('base64', shown.toString('base64'));
      if (asked === 'json' && !truncated) {
        try {
          return field('json', JSON.parse(text) as unknown);
        } catch {
          return field('string', text);
        }
      }
      return field('string', text);
    }
    default: {
      const never: never = asked;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/** Strict UTF-8; a cut may split a character, so a truncated field may drop its incomplete tail. */
function utf8(bytes: Buffer, truncated: boolean): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    if (!truncated) return undefined;
    for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
      try {
        return strictUtf8.decode(bytes.subarray(0, bytes.length - cut));
      } catch {
        // try a shorter prefix
      }
    }
    return undefined;
  }
}
