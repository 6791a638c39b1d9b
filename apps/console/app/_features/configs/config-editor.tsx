'use client';

import { useState, useTransition } from 'react';
import { useCan } from '../auth/session-context';
import { checkConfigAction, revertConfigAction, setConfigAction, type ConfigActionResult } from './config-actions';
import { type ConfigChange, type ConfigRow, describeChange, type DraftReview, reviewDraft, reviewReset } from './config-change';

type Mode = { kind: 'view' } | { kind: 'edit'; draft: string } | { kind: 'confirm'; change: ConfigChange };

const buttonClass = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

/**
 * Edit and reset for one config row, in three steps because a change applies to the live
 * topic at once: edit, review (the draft checked here, then by the broker's dry run, so a
 * bad value is refused before anything changes), confirm a diff of old -> new.
 */
export function ConfigEditor({ topic, config, readOnly }: { topic: string; config: ConfigRow; readOnly: boolean }) {
  const mayEdit = useCan('operate');
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const { name } = config;

  const failed = (result: ConfigActionResult): boolean => {
    if (result.ok) return false;
    setError(`${result.message} (error ${result.code})`);
    return true;
  };

  function review(result: DraftReview) {
    if (!result.ok) return setError(result.reason);
    const { change } = result;
    if (change.kind === 'reset') {
      setError(null);
      return setMode({ kind: 'confirm', change });
    }
    startTransition(async () => {
      if (failed(await checkConfigAction(topic, name, change.to))) return;
      setError(null);
      setMode({ kind: 'confirm', change });
    });
  }

  function apply(change: ConfigChange) {
    startTransition(async () => {
      const result = await (change.kind === 'set' ? setConfigAction(topic, name, change.to) : revertConfigAction(topic, name));
      if (failed(result)) return;
      setError(null);
      setMode({ kind: 'view' });
    });
  }

  const cancel = () => {
    setError(null);
    setMode({ kind: 'view' });
  };

  if (!mayEdit) return null;
  if (readOnly) return <span className="text-xs text-slate-600 dark:text-slate-400">read-only</span>;
  const inputId = `config-${name}`;
  const errorId = `config-${name}-error`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {mode.kind === 'view' && (
        <>
          <button type="button" className={buttonClass} onClick={() => setMode({ kind: 'edit', draft: config.value ?? '' })} aria-label={`Edit ${name}`}>
            Edit
          </button>
          {!config.isDefault && (
            <button type="button" className={buttonClass} onClick={() => review(reviewReset(config))} aria-label={`Reset ${name} to default`}>
              Reset to default
            </button>
          )}
        </>
      )}
      {mode.kind === 'edit' && (
        <form className="flex items-center gap-2" onSubmit={(e) => { e.preventDefault(); review(reviewDraft(config, mode.draft)); }}>
          <label htmlFor={inputId} className="sr-only">
            New value of {name}
          </label>
          <input
            id={inputId}
            autoFocus
            value={mode.draft}
            aria-invalid={error !== null}
            aria-describedby={error === null ? undefined : errorId}
            onChange={(e) => setMode({ kind: 'edit', draft: e.target.value })}
            className="w-48 rounded border border-slate-300 bg-white px-2 py-0.5 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
          />
          <button type="submit" className={buttonClass} disabled={pending}>{pending ? 'Checking…' : 'Save'}</button>
          <button type="button" className={buttonClass} onClick={cancel}>Cancel</button>
        </form>
      )}
      {mode.kind === 'confirm' && (
        <div role="group" aria-label={`Confirm change of ${name}`} className="flex flex-wrap items-center gap-2 text-xs">
          <ChangeDiff change={mode.change} />
          <button
            type="button"
            disabled={pending}
            className="rounded bg-sky-700 px-2 py-0.5 text-white hover:bg-sky-800 disabled:opacity-60"
            onClick={() => apply(mode.change)}
          >
            {pending ? 'Applying…' : 'Confirm'}
          </button>
          <button type="button" className={buttonClass} onClick={cancel}>Cancel</button>
        </div>
      )}
      {error !== null && <p id={errorId} role="alert" className="w-full text-xs text-rose-700 dark:text-rose-400">{error}</p>}
    </div>
  );
}

/** Old value struck through, new value marked, and the whole diff in words for screen readers. */
function ChangeDiff({ change }: { change: ConfigChange }) {
  return (
    <span data-testid="config-diff">
      <span className="sr-only">{describeChange(change)}</span>
      <span aria-hidden="true" className="font-mono">
        <del className="rounded bg-rose-100 px-1 text-rose-900 dark:bg-rose-950 dark:text-rose-100">{change.from ?? '(hidden)'}</del>
        {' → '}
        <ins className="rounded bg-emerald-100 px-1 no-underline text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          {change.kind === 'set' ? change.to : 'default'}
        </ins>
      </span>
    </span>
  );
}
