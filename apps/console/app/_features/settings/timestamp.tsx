'use client';

import { useTimestampFormat } from './preferences';

/** A timestamp in the zone the settings chose; server components render it through this. */
export function Timestamp({ ms }: { ms: number }) {
  return <>{useTimestampFormat()(ms)}</>;
}
