/** How the message browser shows a key or value. */
export const VIEW_FORMATS = ['string', 'json', 'hex'] as const;
export type ViewFormat = (typeof VIEW_FORMATS)[number];

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

/** Space-separated hex pairs, 16 bytes to a line. */
export function toHex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return lines.join('\n');
}

export type Rendered = { text: string; ok: true } | { text: string; ok: false; reason: string };

/** Renders bytes as asked; when they are not that (not UTF-8, not JSON), says so and shows hex or the string. */
export function render(bytes: Uint8Array, format: ViewFormat, truncated = false): Rendered {
  if (format === 'hex') return { text: toHex(bytes), ok: true };
  const text = utf8(bytes);
  if (text === null) return { text: toHex(bytes), ok: false, reason: 'not UTF-8 text; shown as hex' };
  if (format === 'string') return { text, ok: true };
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), ok: true };
  } catch {
    return { text, ok: false, reason: truncated ? 'cut short, so not parseable as JSON; shown as text' : 'not JSON; shown as text' };
  }
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
