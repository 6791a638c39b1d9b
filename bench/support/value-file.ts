import { writeFileSync } from 'node:fs';

/**
 * Writes N newline-separated values of `valueBytes` printable bytes each (a ten-digit
 * sequence number, then filler): the input of `kcat -P -l`.
 */
export function writeValueFile(path: string, messages: number, valueBytes: number): void {
  const line = valueBytes + 1;
  const buf = Buffer.alloc(messages * line, 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(line / 36)).slice(0, line));
  for (let i = 0; i < messages; i++) {
    const at = i * line;
    buf.write(String(i).padStart(10, '0'), at, 'latin1');
    buf[at + valueBytes] = 0x0a;
  }
  writeFileSync(path, buf);
}
