import type { PartitionOutcomeData } from '@weir/contracts';

/**
 * One line for an operator from the controller's per-partition outcomes: how many
 * partitions changed, how many needed nothing, and each failure with its Kafka error.
 */
export function summarizeOutcomes(outcomes: readonly PartitionOutcomeData[], done: string): string {
  if (outcomes.length === 0) return 'No partition to act on.';
  const ok = outcomes.filter((o) => o.error_code === null).length;
  const notNeeded = outcomes.filter((o) => o.kafka_error === 'ELECTION_NOT_NEEDED').length;
  const failed = outcomes.filter((o) => o.error_code !== null && o.kafka_error !== 'ELECTION_NOT_NEEDED');
  const parts = [`${ok} partition${ok === 1 ? '' : 's'} ${done}`];
  if (notNeeded > 0) parts.push(`${notNeeded} already led by their preferred replica`);
  if (failed.length > 0) {
    const shown = failed.slice(0, 3).map((o) => `${o.topic_name}-${o.partition_id}: ${o.kafka_error ?? o.error_code}`);
    parts.push(`${failed.length} failed (${shown.join(', ')}${failed.length > 3 ? ', …' : ''})`);
  }
  return `${parts.join('; ')}.`;
}
