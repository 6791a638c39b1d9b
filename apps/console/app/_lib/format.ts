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

/** Where a timestamp is shown: UTC (the same text for every viewer) or the browser's own zone. */
export type TimestampZone = 'utc' | 'local';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * ISO 8601: in UTC by default, so that server and browser render the same text; 'local'
 * (the console's setting, through useTimestampFormat) gives the browser's time with its offset.
 */
export function formatTimestamp(ms: number, zone: TimestampZone = 'utc'): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const d = new Date(ms);
  if (zone === 'utc') return d.toISOString();
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  return `${date}T${time}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}
