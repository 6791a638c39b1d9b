'use client';

import type { OffsetResetData } from '@weir/contracts';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { ActionOutcome, type Outcome } from '../../_components/action-outcome';
import { Table, Td, Th } from '../../_components/table';
import { resetAction } from './reset-action';
import { MODES, parseResetDraft, type ResetDraft } from './reset-input';

const inputClass = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
const buttonClass = 'rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';
const primaryClass = 'rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-60';

type Step = { kind: 'edit' } | { kind: 'preview'; plan: OffsetResetData } | { kind: 'confirm'; plan: OffsetResetData } | { kind: 'done'; plan: OffsetResetData };

/**
 * Offset reset in three steps, as kafka-consumer-groups --reset-offsets: pick a mode and
 * a scope, preview the plan (a dry run: before and after per partition, clamped targets
 * marked), confirm, apply. The gateway refuses (409) while the group has members; the
 * refusal is shown as it says it.
 */
export function ResetWizard({ groupId, active }: { groupId: string; active: boolean }) {
  const router = useRouter();
  const [draft, setDraft] = useState<ResetDraft>({ mode: 'earliest', value: '', scope: 'all', topic: '', partitions: '' });
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  const needs = MODES.find((m) => m.mode === draft.mode)?.needs;

  function run(dryRun: boolean) {
    const parsed = parseResetDraft(draft, dryRun, new Date().getTimezoneOffset());
    if (!parsed.ok) {
      setOutcome({ ok: false, text: parsed.message });
      return;
    }
    startTransition(async () => {
      const result = await resetAction(groupId, parsed.body);
      if (!result.ok) {
        setOutcome({ ok: false, text: `${result.message} (${result.code})` });
        return;
      }
      setOutcome(dryRun ? null : { ok: true, text: `Committed ${result.value.data.length} offset(s) for ${groupId}.` });
      setStep(dryRun ? { kind: 'preview', plan: result.value } : { kind: 'done', plan: result.value });
      if (!dryRun) router.refresh();
    });
  }

  function preview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(true);
  }

  const edit = (change: Partial<ResetDraft>) => {
    setDraft({ ...draft, ...change });
    setStep({ kind: 'edit' });
    setOutcome(null);
  };

  return (
    <div className="space-y-4">
      {active && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100">
          The group has members: Kafka resets only inactive groups (Empty or Dead). Stop its consumers first.
        </p>
      )}
      <form onSubmit={preview} aria-label={`Reset offsets of ${groupId}`} className="flex flex-wrap items-end gap-4">
        <div className="flex flex-col gap-1">
          <label htmlFor="reset-mode" className="text-sm font-medium">Reset to</label>
          <select id="reset-mode" value={draft.mode} onChange={(e) => edit({ mode: e.target.value as ResetDraft['mode'], value: '' })} className={inputClass}>
            {MODES.map((m) => <option key={m.mode} value={m.mode}>{m.label}</option>)}
          </select>
        </div>
        {needs !== undefined && (
          <div className="flex flex-col gap-1">
            <label htmlFor="reset-value" className="text-sm font-medium">{needs}</label>
            <input
              id="reset-value" value={draft.value} onChange={(e) => edit({ value: e.target.value })} className={inputClass}
              type={draft.mode === 'datetime' ? 'datetime-local' : draft.mode === 'offset' || draft.mode === 'shift-by' ? 'number' : 'text'}
              step={draft.mode === 'datetime' ? 1 : undefined}
            />
          </div>
        )}
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">Partitions</legend>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            {(['all', 'topic', 'partitions'] as const).map((scope) => (
              <label key={scope} className="inline-flex items-center gap-1">
                <input type="radio" name="reset-scope" value={scope} checked={draft.scope === scope} onChange={() => edit({ scope })} />
                {scope === 'all' ? 'All committed' : scope === 'topic' ? 'A topic' : 'Listed'}
              </label>
            ))}
            {draft.scope === 'topic' && <input aria-label="Topic" placeholder="topic" value={draft.topic} onChange={(e) => edit({ topic: e.target.value })} className={inputClass} />}
            {draft.scope === 'partitions' && (
              <input aria-label="Partitions (topic:partition, comma-separated)" placeholder="orders:0, orders:3" value={draft.partitions} onChange={(e) => edit({ partitions: e.target.value })} className={inputClass} />
            )}
          </div>
        </fieldset>
        <button type="submit" disabled={pending} className={buttonClass}>{pending && step.kind === 'edit' ? 'Planning…' : 'Preview'}</button>
      </form>
      <ActionOutcome outcome={outcome} />
      {step.kind !== 'edit' && <PlanTable plan={step.plan} applied={step.kind === 'done'} />}
      {step.kind === 'preview' && (
        <button type="button" className={primaryClass} disabled={step.plan.data.length === 0} onClick={() => setStep({ kind: 'confirm', plan: step.plan })}>
          Apply…
        </button>
      )}
      {step.kind === 'confirm' && (
        <div role="group" aria-label="Confirm the offset reset" className="flex flex-wrap items-center gap-3 rounded-md border border-rose-300 p-3 text-sm dark:border-rose-800">
          <span>Commit {step.plan.data.length} new offset(s) for group {groupId}? Its consumers will resume from them.</span>
          <button type="button" disabled={pending} onClick={() => run(false)} className="rounded-md bg-rose-700 px-3 py-1.5 font-medium text-white hover:bg-rose-800 disabled:opacity-60">
            {pending ? 'Committing…' : 'Confirm reset'}
          </button>
          <button type="button" disabled={pending} onClick={() => setStep({ kind: 'preview', plan: step.plan })} className={buttonClass}>Back</button>
        </div>
      )}
    </div>
  );
}

function PlanTable({ plan, applied }: { plan: OffsetResetData; applied: boolean }) {
  return (
    <Table caption={applied ? 'Offsets committed' : 'Offset reset preview (dry run)'}>
      <thead>
        <tr>
          <Th>Topic</Th>
          <Th numeric>Partition</Th>
          <Th numeric>Before</Th>
          <Th numeric>{applied ? 'Now' : 'After'}</Th>
          <Th numeric>Log range</Th>
          <Th>Note</Th>
        </tr>
      </thead>
      <tbody>
        {plan.data.map((p) => (
          <tr key={`${p.topic_name}-${p.partition_id}`} data-testid={`plan-${p.topic_name}-${p.partition_id}`}>
            <Td>{p.topic_name}</Td>
            <Td numeric>{p.partition_id}</Td>
            <Td numeric>{p.current_offset ?? '—'}</Td>
            <Td numeric>{p.new_offset}</Td>
            <Td numeric>{p.log_start_offset}–{p.log_end_offset}</Td>
            <Td>{p.clamped_from === null ? '' : `clamped from ${p.clamped_from}`}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
