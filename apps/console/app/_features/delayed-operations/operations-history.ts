import type { LivePurgatory } from '@weir/contracts';

/** Purgatory names in the order the page lists and charts them (Kafka's). */
export const PURGATORY_ORDER = ['Produce', 'Fetch', 'Rebalance', 'Heartbeat'] as const;

/** One chart point: seconds since the epoch and expirations/s per purgatory name (summed over brokers). */
export interface HistoryPoint {
  readonly atSec: number;
  readonly expirations: Readonly<Record<string, number>>;
}

/** How many samples the chart keeps: ten minutes at the hub's one-second samples. */
export const HISTORY_POINTS = 600;

/** The names to chart: the known ones first, in Kafka's order, then any other a broker reports. */
export function purgatoryNames(purgatories: readonly { name: string }[]): string[] {
  const names = new Set(purgatories.map((p) => p.name));
  const known = PURGATORY_ORDER.filter((n) => names.has(n));
  return [...known, ...[...names].filter((n) => !(PURGATORY_ORDER as readonly string[]).includes(n)).sort()];
}

/** Appends a sample (rates summed per purgatory name), keeping the last HISTORY_POINTS. */
export function appendSample(history: readonly HistoryPoint[], atMs: number, purgatories: readonly LivePurgatory[]): HistoryPoint[] {
  const expirations: Record<string, number> = {};
  for (const p of purgatories) expirations[p.name] = (expirations[p.name] ?? 0) + p.expirations_per_sec;
  const next = [...history, { atSec: atMs / 1000, expirations }];
  return next.length > HISTORY_POINTS ? next.slice(next.length - HISTORY_POINTS) : next;
}

/** Broker, then Kafka's purgatory order: the table's rows. */
export function sortPurgatories<T extends { broker_id: number; name: string }>(purgatories: readonly T[]): T[] {
  const rank = (name: string) => {
    const i = (PURGATORY_ORDER as readonly string[]).indexOf(name);
    return i === -1 ? PURGATORY_ORDER.length : i;
  };
  return [...purgatories].sort((a, b) => a.broker_id - b.broker_id || rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
