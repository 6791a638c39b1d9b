'use client';

import { useState } from 'react';
import { ActionOutcome, type Outcome, outcomeOf } from '../../_components/action-outcome';
import { ConfirmAction } from '../../_components/confirm-action';
import { abortTransactionAction } from './abort-action';

/**
 * "Abort" for an Ongoing transaction, confirmed first. The abort re-renders the page,
 * after which the row is no longer Ongoing and the button goes; the outcome is kept here
 * (this component stays mounted across refreshes) so the admin still sees what happened.
 */
export function AbortTransaction({ transactionalId, producerId, ongoing }: { transactionalId: string; producerId: number; ongoing: boolean }) {
  const [last, setLast] = useState<Outcome | null>(null);
  if (!ongoing) return <ActionOutcome outcome={last} small />;
  return (
    <ConfirmAction
      label="Abort"
      ariaLabel={`Abort transaction ${transactionalId}`}
      question={`Abort ${transactionalId}'s open transaction and fence producer ${producerId}?`}
      action={async () => {
        const result = await abortTransactionAction(transactionalId);
        setLast(outcomeOf(result));
        return result;
      }}
      danger
    />
  );
}
