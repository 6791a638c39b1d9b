'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { ActionOutcome, type Outcome, outcomeOf } from '../../_components/action-outcome';
import { ConfirmAction } from '../../_components/confirm-action';
import type { UserData } from '../../_lib/gateway/users';
import { SelectField } from '../../_components/field';
import { ROLES } from '../auth/permissions';
import { changeRoleAction, deleteUserAction, resetPasswordAction, setDisabledAction } from './user-actions';

const buttonClass = 'rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

/** One user's role, chosen in place and saved with its own button (a role change is not made by a stray select). */
export function UserRoleControl({ user }: { user: UserData }) {
  const [role, setRole] = useState<string>(user.role);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <SelectField id={`role-${user.name}`} label={`Role of ${user.name}`} options={ROLES} value={role} onChange={(e) => setRole(e.target.value)} hiddenLabel />
      {role !== user.role && (
        <button type="button" className={buttonClass} disabled={pending} onClick={() => startTransition(async () => setOutcome(outcomeOf(await changeRoleAction(user.name, role))))}>
          {pending ? 'Saving…' : 'Save role'}
        </button>
      )}
      <ActionOutcome outcome={outcome} small />
    </div>
  );
}

/** Disable/enable, reset password and delete, each confirmed or asked for first. */
export function UserActions({ user, self }: { user: UserData; self: boolean }) {
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  function reset(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await resetPasswordAction(user.name, password);
      setOutcome(outcomeOf(result));
      if (result.ok) {
        setResetting(false);
        setPassword('');
      }
    });
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <ConfirmAction
        label={user.disabled ? 'Enable' : 'Disable'}
        ariaLabel={`${user.disabled ? 'Enable' : 'Disable'} user ${user.name}`}
        question={user.disabled ? `Let ${user.name} sign in again?` : `Refuse ${user.name}'s sessions and API keys?`}
        action={setDisabledAction.bind(null, user.name, !user.disabled)}
        need="administer"
      />
      {!resetting && (
        <button type="button" className={buttonClass} onClick={() => setResetting(true)} aria-label={`Reset password of ${user.name}`}>
          Reset password
        </button>
      )}
      {resetting && (
        <form onSubmit={reset} className="flex items-center gap-2">
          <label htmlFor={`password-${user.name}`} className="sr-only">
            New password of {user.name}
          </label>
          <input
            id={`password-${user.name}`}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className="w-40 rounded border border-slate-300 bg-white px-2 py-0.5 text-xs dark:border-slate-700 dark:bg-slate-900"
          />
          <button type="submit" className={buttonClass} disabled={pending}>{pending ? 'Saving…' : 'Set password'}</button>
          <button type="button" className={buttonClass} onClick={() => setResetting(false)}>Cancel</button>
        </form>
      )}
      {!self && (
        <ConfirmAction
          label="Delete"
          ariaLabel={`Delete user ${user.name}`}
          question={`Delete ${user.name}, its sessions and its API keys?`}
          action={deleteUserAction.bind(null, user.name)}
          danger
          need="administer"
        />
      )}
      <ActionOutcome outcome={outcome} small />
    </div>
  );
}
