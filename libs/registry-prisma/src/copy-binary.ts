/**
 * A reader of PostgreSQL's binary COPY format (`COPY ... TO ... WITH (FORMAT binary)`):
 * an 11-byte signature, INT32 flags, INT32 header-extension length and the extension;
 * then per row an INT16 field count (-1 ends the data) and per field an INT32 length
 * (-1 for NULL) and that many bytes in the column type's binary send format.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export class CopyBinaryReader {
  private pos: number;

  constructor(private readonly buf: Buffer) {
    if (buf.length < SIGNATURE.length + 8 || !buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
      throw new Error('not PostgreSQL binary COPY data (bad signature)');
    }
    const extension = buf.readInt32BE(SIGNATURE.length + 4);
    this.pos = SIGNATURE.length + 8 + extension;
  }

  /** Starts the next row: its field count, or -1 at the end of the data. */
  nextRow(): number {
    if (this.pos + 2 > this.buf.length) throw new Error('binary COPY data ends without its trailer');
    const fields = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return fields;
  }

  /** The next field's bytes (a view into the data), or null for NULL. */
  bytes(): Buffer | null {
    const length = this.fieldLength();
    if (length < 0) return null;
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** The next field as UTF-8 text (text / varchar columns). */
  text(): string {
    const length = this.requiredLength(-1);
    const out = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** The next field as a float8 column (cast numbers to float8 in the query). */
  float8(): number {
    this.requiredLength(8);
    const out = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return out;
  }

  private requiredLength(expected: number): number {
    const length = this.fieldLength();
    if (length < 0) throw new Error('binary COPY field is NULL where a value is required');
    if (expected >= 0 && length !== expected) throw new Error(`binary COPY field has ${length} bytes, expected ${expected}`);
    return length;
  }

  private fieldLength(): number {
    if (this.pos + 4 > this.buf.length) throw new Error('binary COPY data cut inside a row');
    const length = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    if (length > this.buf.length - this.pos) throw new Error('binary COPY field runs past the end of the data');
    return length;
  }
}
