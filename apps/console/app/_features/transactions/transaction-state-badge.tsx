import type { TransactionStateName } from '@weir/contracts';
import { Badge, type BadgeTone } from '../../_components/badge';

/** Open ones in amber (they hold their partitions' LSO back), aborts in red, commits in green. */
const TONE: Record<TransactionStateName, BadgeTone> = {
  Empty: 'plain', Ongoing: 'warn', PrepareCommit: 'info', PrepareAbort: 'bad', CompleteCommit: 'good', CompleteAbort: 'bad', Dead: 'plain', PrepareEpochFence: 'bad',
};

export function TransactionStateBadge({ state }: { state: TransactionStateName }) {
  return <Badge tone={TONE[state]} testId="txn-state">{state}</Badge>;
}
