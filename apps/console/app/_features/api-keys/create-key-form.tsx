'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { ActionOutcome, type Outcome } from '../../_components/action-outcome';
import { SubmitButton, TextField } from '../../_components/field';
import { createApiKeyAction } from './api-key-actions';

const buttonClass = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

/**
 * Creates a key and shows it once, with a copy button: the gateway keeps only a hash of
 * the secret, so after this the key cannot be read again, only revoked.
 */
export function CreateKeyForm({ user }: { user: string }) {
  const [name, setName] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createApiKeyAction(user, { name, expiresAt });
      if (!result.ok) return setOutcome({ ok: false, text: `${result.message} (${result.code})` });
      setOutcome(null);
      setCopied(false);
      setCreated(result.value.key);
      setName('');
    });
  }

  return (
    <div className="space-y-3">
      <form onSubmit={submit} aria-label={`Create API key for ${user}`} className="grid gap-4 md:grid-cols-[1fr_1fr_auto] md:items-end">
        <TextField id="new-key-name" label="Key name" required value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        <TextField id="new-key-expires" label="Expires (optional)" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
        <SubmitButton pending={pending}>Create key</SubmitButton>
      </form>
      <ActionOutcome outcome={outcome} />
      {created !== null && (
        <div role="status" className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-50">
          <p className="font-medium">New key, shown this once: copy it now.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100" data-testid="new-api-key">
              {created}
            </code>
            <button type="button" className={buttonClass} onClick={() => void navigator.clipboard?.writeText(created).then(() => setCopied(true))}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className={buttonClass} onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
          <p className="text-xs">Use it as <code>Authorization: Bearer &lt;key&gt;</code>.</p>
        </div>
      )}
    </div>
  );
}
