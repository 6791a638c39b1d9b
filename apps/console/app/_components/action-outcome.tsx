import type { ActionResult } from '../_lib/gateway/action-result';

/** What a cluster change did, as its form shows it: a summary, or the gateway's refusal with its code. */
export type Outcome = { ok: boolean; text: string };

export function outcomeOf(result: ActionResult<string>): Outcome {
  return result.ok ? { ok: true, text: result.value } : { ok: false, text: `${result.message} (${result.code})` };
}

/** Announced to screen readers: a status when it worked, an alert when it did not. */
export function ActionOutcome({ outcome, small = false }: { outcome: Outcome | null; small?: boolean }) {
  if (outcome === null) return null;
  const color = outcome.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400';
  return (
    <p role={outcome.ok ? 'status' : 'alert'} className={`${small ? 'text-xs' : 'text-sm'} ${color}`}>
      {outcome.text}
    </p>
  );
}
