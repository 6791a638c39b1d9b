/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma, CR or LF, quotes doubled.
 * A cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or CR
 * that some strip first) gets a leading apostrophe, so opening an export of, say, a topic
 * named `=HYPERLINK(...)` shows the text instead of running it.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One CSV record with its CRLF ending. */
export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
