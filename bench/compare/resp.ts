/**
 * A minimal RESP2 reader and writer: enough for the Redis latency probe (XADD, XGROUP,
 * XREADGROUP replies). Bulk strings are read as latin1 strings (one character per byte).
 */
export type RespValue = string | number | null | RespValue[] | Error;

/** One command as RESP (an array of bulk strings). */
export function command(...args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`;
  return out;
}

/** Parses one reply at `pos`; undefined when the buffer does not hold all of it yet. */
export function parseReply(buf: string, pos: number): { value: RespValue; next: number } | undefined {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const head = buf.slice(pos + 1, eol);
  switch (buf[pos]) {
    case '+':
      return { value: head, next: eol + 2 };
    case '-':
      return { value: new Error(head), next: eol + 2 };
    case ':':
      return { value: Number(head), next: eol + 2 };
    case '$': {
      const length = Number(head);
      if (length < 0) return { value: null, next: eol + 2 };
      if (buf.length < eol + 2 + length + 2) return undefined;
      return { value: buf.slice(eol + 2, eol + 2 + length), next: eol + 2 + length + 2 };
    }
    case '*': {
      const count = Number(head);
      if (count < 0) return { value: null, next: eol + 2 };
      const items: RespValue[] = [];
      let next = eol + 2;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, next);
        if (item === undefined) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`not a RESP reply at ${pos}: ${JSON.stringify(buf.slice(pos, pos + 20))}`);
  }
}
