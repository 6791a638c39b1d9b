import { type TransactionStateName, transactionStateSchema } from '@weir/contracts';

/** The states the filter offers, in the order a transaction goes through them. */
export const STATE_FILTERS: readonly TransactionStateName[] = transactionStateSchema.options;

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The state filter as the URL holds it (`?state=Ongoing`); anything unknown means no filter. */
export function parseStateFilter(params: Record<string, string | string[] | undefined>): TransactionStateName | null {
  const parsed = transactionStateSchema.safeParse(one(params.state));
  return parsed.success ? parsed.data : null;
}

/** Human words for a duration in ms: "850 ms", "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 === 0 ? `${min} min` : `${min} min ${s % 60} s`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}
