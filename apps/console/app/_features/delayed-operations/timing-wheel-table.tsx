import type { TimingWheelStats } from '@weir/contracts';
import { Table, Td, Th } from '../../_components/table';
import { formatCount } from '../../_lib/format';

/** "20 ms", "8 s", "2.2 h": a level's reach in the unit that reads best. */
export function formatSpan(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return `${+(ms / 86_400_000).toFixed(1)} d`;
}

/** The hierarchical timing wheel: one row per level created so far, finest first. */
export function TimingWheelTable({ wheel }: { wheel: TimingWheelStats }) {
  return (
    <Table caption={`Timing wheel levels (tick ${wheel.tick_ms} ms, ${wheel.wheel_size} buckets per level)`}>
      <thead>
        <tr>
          <Th numeric>Level</Th>
          <Th numeric>Tick</Th>
          <Th numeric>Interval</Th>
          <Th numeric>Buckets</Th>
          <Th numeric>Buckets in use</Th>
          <Th numeric>Pending tasks</Th>
        </tr>
      </thead>
      <tbody>
        {wheel.levels.map((l) => (
          <tr key={l.level} data-testid={`wheel-level-${l.level}`}>
            <Td numeric>{l.level}</Td>
            <Td numeric>{formatSpan(l.tick_ms)}</Td>
            <Td numeric>{formatSpan(l.interval_ms)}</Td>
            <Td numeric>{l.buckets}</Td>
            <Td numeric>{l.occupied_buckets}</Td>
            <Td numeric>{formatCount(l.pending)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
