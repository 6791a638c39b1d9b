const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en').format(n);
}

export function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : formatCount(Math.round(perSecond));
}

/** ISO 8601 in UTC, so every viewer reads the same instant. */
export function formatTimestamp(ms: number): string {
  return Number.isFinite(ms) && ms >= 0 ? new Date(ms).toISOString() : '—';
}
