import { Writer } from '../../protocol/primitives/writer.js';

/** Where a message's length and count fields sit in its encoded bytes. */
export interface FieldMarks {
  /** Unsigned varints: compact lengths and counts, tagged-field counts (flexible versions). */
  readonly varints: number[];
  /** INT16 string lengths (STRING, NULLABLE_STRING). */
  readonly int16Lengths: number[];
  /** INT32 array counts and BYTES / RECORDS lengths. */
  readonly int32Lengths: number[];
  /** Tagged-field sections (their count varint). */
  readonly taggedSections: number[];
}

/**
 * A Writer that notes the offset of every length, count and tagged-field section it
 * writes, so that mutators can lie about exactly those fields instead of hitting them
 * by chance. The bytes it produces are the ordinary Writer's.
 */
export class MarkingWriter extends Writer {
  readonly marks: FieldMarks = { varints: [], int16Lengths: [], int32Lengths: [], taggedSections: [] };

  override unsignedVarint(v: number): this {
    this.marks.varints.push(this.length);
    return super.unsignedVarint(v);
  }

  override string(v: string): this {
    this.marks.int16Lengths.push(this.length);
    return super.string(v);
  }

  override nullableString(v: string | null): this {
    if (v === null) this.marks.int16Lengths.push(this.length);
    return super.nullableString(v);
  }

  override bytes(v: Buffer): this {
    this.marks.int32Lengths.push(this.length);
    return super.bytes(v);
  }

  override nullableBytes(v: Buffer | null): this {
    if (v === null) this.marks.int32Lengths.push(this.length);
    return super.nullableBytes(v);
  }

  override records(v: Buffer | null, compact: boolean): this {
    if (!compact) this.marks.int32Lengths.push(this.length);
    return super.records(v, compact);
  }

  override array<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.marks.int32Lengths.push(this.length);
    return super.array(items, each);
  }

  override nullableArray<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    if (items === null) this.marks.int32Lengths.push(this.length);
    return super.nullableArray(items, each);
  }

  override taggedFields(fields?: Parameters<Writer['taggedFields']>[0]): this {
    this.marks.taggedSections.push(this.length);
    return super.taggedFields(fields);
  }
}
