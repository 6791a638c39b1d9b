import type { PartitionOutcomeData } from '@weir/contracts';
import { summarizeOutcomes } from './outcome-summary';

const outcome = (partition: number, kafkaError: string | null): PartitionOutcomeData => ({
  topic_name: 'orders',
  partition_id: partition,
  error_code: kafkaError === null ? null : kafkaError === 'ELECTION_NOT_NEEDED' ? 40901 : 50003,
  kafka_error: kafkaError,
  message: kafkaError,
});

describe('summarizeOutcomes', () => {
  it('counts changed and not-needed partitions', () => {
    expect(summarizeOutcomes([outcome(0, null), outcome(1, 'ELECTION_NOT_NEEDED'), outcome(2, null)], 'elected')).toBe(
      '2 partitions elected; 1 already led by their preferred replica.',
    );
  });

  it('names the first failures', () => {
    const failures = [1, 2, 3, 4].map((p) => outcome(p, 'ELIGIBLE_LEADERS_NOT_AVAILABLE'));
    expect(summarizeOutcomes([outcome(0, null), ...failures], 'elected')).toBe(
      '1 partition elected; 4 failed (orders-1: ELIGIBLE_LEADERS_NOT_AVAILABLE, orders-2: ELIGIBLE_LEADERS_NOT_AVAILABLE, orders-3: ELIGIBLE_LEADERS_NOT_AVAILABLE, …).',
    );
  });

  it('says when there was nothing to act on', () => {
    expect(summarizeOutcomes([], 'elected')).toBe('No partition to act on.');
  });
});
