import type { ConsumerGroupState } from '@weir/contracts';
import { Badge, type BadgeTone } from '../../_components/badge';

const TONE: Record<ConsumerGroupState, BadgeTone> = {
  STABLE: 'good', EMPTY: 'plain', DEAD: 'bad', PREPARING_REBALANCE: 'warn', COMPLETING_REBALANCE: 'warn', UNKNOWN: 'plain',
};

const LABEL: Record<ConsumerGroupState, string> = {
  STABLE: 'Stable', EMPTY: 'Empty', DEAD: 'Dead', PREPARING_REBALANCE: 'Preparing rebalance', COMPLETING_REBALANCE: 'Completing rebalance', UNKNOWN: 'Unknown',
};

export function GroupStateBadge({ state }: { state: ConsumerGroupState }) {
  return <Badge tone={TONE[state]} testId="group-state">{LABEL[state]}</Badge>;
}
