import { ConfirmAction } from '../../_components/confirm-action';
import { electLeadersAction } from './elect-leaders-action';

/**
 * Moves leadership back to each partition's preferred (first) replica: of one topic
 * (operators), or of every partition (admins: it moves the whole cluster's leaders at once).
 */
export function ElectLeadersButton({ topic }: { topic?: string }) {
  const scope = topic === undefined ? 'every partition of the cluster' : `every partition of ${topic}`;
  return (
    <ConfirmAction
      label="Elect preferred leaders"
      ariaLabel={topic === undefined ? 'Elect preferred leaders of all partitions' : `Elect preferred leaders of ${topic}`}
      question={`Move leadership of ${scope} to its preferred replica?`}
      action={electLeadersAction.bind(null, topic ?? null)}
      need={topic === undefined ? 'administer' : 'operate'}
    />
  );
}
