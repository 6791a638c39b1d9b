'use client';

import { useState, useTransition } from 'react';
import { revertConfigAction, setConfigAction, type ConfigActionResult } from './config-actions';

type Mode = { kind: 'view' } | { kind: 'edit'; draft: string } | { kind: 'confirm-set'; draft: string } | { kind: 'confirm-revert' };

const buttonClass = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

/**
 * Edit and revert for one config row. Every change takes two steps (edit, then confirm)
 * because a config change applies to the live topic at once.
 */
export function ConfigEditor({ topic, name, value, isDefault, readOnly }: { topic: string; name: string; value: string | null; isDefault: boolean; readOnly: boolean }) {
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function apply(action: () => Promise<ConfigActionResult>) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) {
        setMode({ kind: 'view' });
        setError(null);
      } else {
        setError(`${result.message} (${result.code})`);
      }
    });
  }

  if (readOnly) return <span className="text-xs text-slate-500">read-only</span>;
  const inputId = `config-${name}`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {mode.kind === 'view' && (
        <>
          <button type="button" className={buttonClass} onClick={() => setMode({ kind: 'edit', draft: value ?? '' })} aria-label={`Edit ${name}`}>
            Edit
          </button>
          {!isDefault && (
            <button type="button" className={buttonClass} onClick={() => setMode({ kind: 'confirm-revert' })} aria-label={`Revert ${name} to default`}>
              Revert
            </button>
          )}
        </>
      )}
      {mode.kind === 'edit' && (
        <form className="flex items-center gap-2" onSubmit={(e) => { e.preventDefault(); setMode({ kind: 'confirm-set', draft: mode.draft }); }}>
          <label htmlFor={inputId} className="sr-only">
            New value of {name}
          </label>
          <input id={inputId} autoFocus value={mode.draft} onChange={(e) => setMode({ kind: 'edit', draft: e.target.value })} className="w-48 rounded border border-slate-300 bg-white px-2 py-0.5 font-mono text-xs dark:border-slate-700 dark:bg-slate-900" />
          <button type="submit" className={buttonClass}>Save</button>
          <button type="button" className={buttonClass} onClick={() => setMode({ kind: 'view' })}>Cancel</button>
        </form>
      )}
      {(mode.kind === 'confirm-set' || mode.kind === 'confirm-revert') && (
        <div role="group" aria-label={`Confirm change of ${name}`} className="flex items-center gap-2 text-xs">
          <span>{mode.kind === 'confirm-set' ? <>Set <b>{name}</b> to <code>{mode.draft}</code>?</> : <>Revert <b>{name}</b> to its default?</>}</span>
          <button
            type="button"
            disabled={pending}
            className="rounded bg-sky-700 px-2 py-0.5 text-white hover:bg-sky-800 disabled:opacity-60"
            onClick={() => apply(() => (mode.kind === 'confirm-set' ? setConfigAction(topic, name, mode.draft) : revertConfigAction(topic, name)))}
          >
            {pending ? 'Applying…' : 'Confirm'}
          </button>
          <button type="button" className={buttonClass} onClick={() => setMode({ kind: 'view' })}>Cancel</button>
        </div>
      )}
      {error !== null && <p role="alert" className="w-full text-xs text-rose-700 dark:text-rose-400">{error}</p>}
    </div>
  );
}
