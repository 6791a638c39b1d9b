'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { ActionOutcome, type Outcome, outcomeOf } from '../../_components/action-outcome';
import { ConfirmAction } from '../../_components/confirm-action';
import { reassignAction } from './reassign-action';
import { formatReplicas, parseReassignForm, type PartitionReplicas, type ReassignDrafts } from './reassign-input';

export interface ReassignRow extends PartitionReplicas {
  /** A reassignment of this partition is running (it can be cancelled). */
  reassigning: boolean;
}

function draftsOf(rows: readonly ReassignRow[]): ReassignDrafts {
  return Object.fromEntries(rows.map((r) => [r.partition_id, formatReplicas(r.replica_ids)]));
}

const inputClass = 'w-40 rounded border border-slate-300 bg-white px-2 py-0.5 font-mono text-xs aria-invalid:border-rose-500 dark:border-slate-700 dark:bg-slate-900';

/**
 * Target replicas per partition (the first is the preferred leader); only the changed
 * ones are sent, after the gateway's schema has checked them here. A running
 * reassignment can be cancelled.
 */
export function ReassignForm({ topic, rows }: { topic: string; rows: ReassignRow[] }) {
  const current = JSON.stringify(rows);
  const [baseline, setBaseline] = useState(current);
  const [drafts, setDrafts] = useState<ReassignDrafts>(() => draftsOf(rows));
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  // The partitions' replicas moved (a reassignment ran): start again from them, keeping the last outcome shown.
  if (baseline !== current) {
    setBaseline(current);
    setDrafts(draftsOf(rows));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseReassignForm(rows, drafts);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setOutcome(parsed.message === undefined ? null : { ok: false, text: parsed.message });
      return;
    }
    setErrors({});
    startTransition(async () => {
      const result = await reassignAction(topic, parsed.request);
      setOutcome(outcomeOf(result));
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Reassign partitions of ${topic}`} className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">Broker ids per partition, the preferred leader first. New replicas join the ISR before old ones leave.</p>
      <ul className="space-y-2">
        {rows.map((r) => {
          const id = `reassign-${r.partition_id}`;
          return (
            <li key={r.partition_id} className="flex flex-wrap items-center gap-3 text-sm">
              <label htmlFor={id} className="w-28">Partition {r.partition_id}</label>
              <input
                id={id}
                value={drafts[r.partition_id] ?? ''}
                onChange={(e) => setDrafts({ ...drafts, [r.partition_id]: e.target.value })}
                aria-invalid={errors[r.partition_id] !== undefined}
                aria-describedby={errors[r.partition_id] !== undefined ? `${id}-error` : undefined}
                className={inputClass}
              />
              {errors[r.partition_id] !== undefined && (
                <span id={`${id}-error`} className="text-xs text-rose-700 dark:text-rose-400">{errors[r.partition_id]}</span>
              )}
              {r.reassigning && (
                <ConfirmAction
                  label="Cancel reassignment"
                  ariaLabel={`Cancel the reassignment of partition ${r.partition_id}`}
                  question={`Cancel the reassignment of partition ${r.partition_id}?`}
                  action={reassignAction.bind(null, topic, { partitions: [{ partition_id: r.partition_id, replicas: null }] })}
                  danger
                />
              )}
            </li>
          );
        })}
      </ul>
      <button type="submit" disabled={pending} className="rounded-md bg-sky-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60">
        {pending ? 'Working…' : 'Reassign'}
      </button>
      <ActionOutcome outcome={outcome} />
    </form>
  );
}
