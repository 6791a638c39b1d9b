/** How the message browser shows a key or value. */
export const VIEW_FORMATS = ['string', 'json', 'hex', 'base64'] as const;
export type ViewFormat = (typeof VIEW_FORMATS)[number];

export const FORMAT_LABELS: Record<ViewFormat, string> = { string: 'Text', json: 'JSON', hex: 'Hex dump', base64: 'Base64' };

export function isViewFormat(value: string): value is ViewFormat {
  return (VIEW_FORMATS as readonly string[]).includes(value);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Bytes per row of a hex dump. */
export const HEX_ROW_BYTES = 16;

/**
 * Rows `fromRow` to `fromRow + rowCount` of a hex dump: the offset (8 hex digits), the
 * bytes as hex pairs (padded, so the text column lines up) and the printable ASCII, `.`
 * for the rest. Only the rows asked for are built: a 1 MiB value has 65,536 rows.
 */
export function hexDumpRows(bytes: Uint8Array, fromRow = 0, rowCount = Math.ceil(bytes.length / HEX_ROW_BYTES)): string[] {
  const rows: string[] = [];
  const end = Math.min(bytes.length, (fromRow + rowCount) * HEX_ROW_BYTES);
  for (let at = fromRow * HEX_ROW_BYTES; at < end; at += HEX_ROW_BYTES) {
    const row = bytes.subarray(at, Math.min(at + HEX_ROW_BYTES, end));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(HEX_ROW_BYTES * 3 - 1)}  ${ascii}`);
  }
  return rows;
}

export type Rendered = { text: string; ok: true } | { text: string; ok: false; reason: string };

/**
 * Renders bytes as text, JSON or base64; when they are not what was asked (not UTF-8,
 * not JSON), says so and shows base64 or the string. Hex dumps are built row by row by
 * the viewer (`hexDumpRows`), never as one string.
 */
export function render(bytes: Uint8Array, format: Exclude<ViewFormat, 'hex'>, truncated = false): Rendered {
  if (format === 'base64') return { text: bytesToBase64(bytes), ok: true };
  const text = utf8(bytes);
  if (text === null) return { text: bytesToBase64(bytes), ok: false, reason: 'not UTF-8 text; shown as base64 (pick Hex dump to see the bytes)' };
  if (format === 'string') return { text, ok: true };
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), ok: true };
  } catch {
    return { text, ok: false, reason: truncated ? 'cut short, so not parseable as JSON; shown as text' : 'not JSON; shown as text' };
  }
}

/** UTF-8 text when the bytes are that, else `base64:` and their base64: how exports write a key or value. */
export function textOrBase64(bytes: Uint8Array): string {
  return utf8(bytes) ?? `base64:${bytesToBase64(bytes)}`;
}

/** The format a record is first shown in: JSON if it parses, else text if UTF-8, else hex. */
export function guessFormat(bytes: Uint8Array): ViewFormat {
  const text = utf8(bytes);
  if (text === null) return 'hex';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      return 'string';
    }
  }
  return 'string';
}
