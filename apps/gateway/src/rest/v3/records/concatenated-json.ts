/** One top-level item of a concatenated-JSON stream. */
export type JsonSegment =
  | { readonly kind: 'json'; readonly text: string }
  /** Bytes outside any object or array (a bare word, number or string): not a record. */
  | { readonly kind: 'garbage'; readonly text: string }
  /** An item longer than the limit; its bytes were dropped as they came. */
  | { readonly kind: 'too-large'; readonly bytes: number };

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const GARBAGE_PREVIEW = 40;

/**
 * Splits a byte stream of concatenated JSON values (`{...}{...}` or one per line) into
 * one segment per top-level value, without parsing them: it tracks only nesting depth
 * and string/escape state, so a value can span any number of chunks and a malformed
 * value is still delimited (and reported) without losing the ones after it.
 *
 * Items over `maxItemBytes` are not buffered: their bytes are counted and dropped, and
 * the item comes out as `too-large`. Not safe for concurrent use: one per request.
 */
export class ConcatenatedJsonSplitter {
  private parts: Buffer[] = [];
  private itemBytes = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inGarbage = false;

  constructor(private readonly maxItemBytes: number) {}

  push(chunk: Buffer): JsonSegment[] {
    const out: JsonSegment[] = [];
    let start = -1; // where the current item begins in this chunk, -1 if outside one
    if (this.depth > 0 || this.inGarbage) start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.depth > 0) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (byte === BACKSLASH) this.escaped = true;
          else if (byte === QUOTE) this.inString = false;
        } else if (byte === QUOTE) {
          this.inString = true;
        } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          this.depth++;
        } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (--this.depth === 0) {
            this.take(chunk, start, i + 1);
            out.push(this.finishItem('json'));
            start = -1;
          }
        }
        continue;
      }
      const isSpace = byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
      const opens = byte === OPEN_BRACE || byte === OPEN_BRACKET;
      if (this.inGarbage && (isSpace || opens)) {
        this.take(chunk, start, i);
        out.push(this.finishItem('garbage'));
        start = -1;
      }
      if (opens) {
        this.depth = 1;
        start = i;
      } else if (!isSpace && !this.inGarbage) {
        this.inGarbage = true;
        start = i;
      }
    }
    if (start >= 0) this.take(chunk, start, chunk.length);
    return out;
  }

  /** The end of the stream: an unterminated value or trailing garbage becomes a last (bad) segment. */
  end(): JsonSegment[] {
    if (this.depth === 0 && !this.inGarbage) return [];
    return [this.finishItem('garbage')];
  }

  private take(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.itemBytes += to - from;
    if (this.itemBytes <= this.maxItemBytes) this.parts.push(chunk.subarray(from, to));
    else this.parts = [];
  }

  private finishItem(kind: 'json' | 'garbage'): JsonSegment {
    const bytes = this.itemBytes;
    const text = bytes <= this.maxItemBytes ? Buffer.concat(this.parts).toString('utf8') : '';
    this.parts = [];
    this.itemBytes = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.inGarbage = false;
    if (bytes > this.maxItemBytes) return { kind: 'too-large', bytes };
    return kind === 'json' ? { kind, text } : { kind, text: text.length > GARBAGE_PREVIEW ? `${text.slice(0, GARBAGE_PREVIEW)}...` : text };
  }
}
