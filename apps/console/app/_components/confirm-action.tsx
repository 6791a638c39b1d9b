'use client';

import { useState, useTransition } from 'react';
import type { Capability } from '../_features/auth/permissions';
import { useCan } from '../_features/auth/session-context';
import type { ActionResult } from '../_lib/gateway/action-result';
import { ActionOutcome, type Outcome, outcomeOf } from './action-outcome';

const buttonClass = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

/**
 * A button for a change to the live cluster, in two steps: the button, then a question
 * with Confirm and Cancel. `action` is a server action (bound to its arguments) that
 * answers a one-line summary or the gateway's refusal, shown next to the button. Not
 * shown at all to a user whose role lacks `need` (operate, unless said otherwise).
 */
export function ConfirmAction({ label, question, action, danger = false, ariaLabel, need = 'operate' }: {
  label: string;
  question: string;
  action: () => Promise<ActionResult<string>>;
  danger?: boolean;
  ariaLabel?: string;
  need?: Capability;
}) {
  const permitted = useCan(need);
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  function run() {
    startTransition(async () => {
      const result = await action();
      setConfirming(false);
      setOutcome(outcomeOf(result));
    });
  }

  if (!permitted) return null;
  return (
    <div className="inline-flex flex-wrap items-center gap-2">
      {!confirming && (
        <button type="button" className={buttonClass} onClick={() => (setConfirming(true), setOutcome(null))} aria-label={ariaLabel ?? label}>
          {label}
        </button>
      )}
      {confirming && (
        <div role="group" aria-label={`Confirm: ${ariaLabel ?? label}`} className="inline-flex items-center gap-2 text-xs">
          <span>{question}</span>
          <button
            type="button"
            disabled={pending}
            onClick={run}
            className={`rounded px-2 py-0.5 text-white disabled:opacity-60 ${danger ? 'bg-rose-700 hover:bg-rose-800' : 'bg-sky-700 hover:bg-sky-800'}`}
          >
            {pending ? 'Working…' : 'Confirm'}
          </button>
          <button type="button" className={buttonClass} disabled={pending} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <ActionOutcome outcome={outcome} small />
    </div>
  );
}
