// Request bodies of the REST bench, built the same way in the bench process and in the
// load child, so a figure is always "records of this shape".

/** A 100-byte value, as Confluent's default BINARY format carries it (base64). */
const VALUE_BASE64 = Buffer.alloc(100, 'weir-rest-bench-').toString('base64');

/** One record of the produce API: a STRING key (spreads records over partitions with murmur2) and a BINARY value. */
export function recordJson(i: number): string {
  return `{"key":{"type":"STRING","data":"key-${i}"},"value":{"type":"BINARY","data":"${VALUE_BASE64}"}}`;
}

/** A records:batch body of `entries` records with ids 0..entries-1. */
export function batchBody(entries: number): string {
  const parts: string[] = [];
  for (let i = 0; i < entries; i++) parts.push(`{"id":"${i}",${recordJson(i).slice(1)}`);
  return `{"entries":[${parts.join(',')}]}`;
}

/** `count` records from `first` on, concatenated one per line as the streaming produce takes them. */
export function streamChunk(first: number, count: number): string {
  let out = '';
  for (let i = first; i < first + count; i++) out += `${recordJson(i)}\n`;
  return out;
}
