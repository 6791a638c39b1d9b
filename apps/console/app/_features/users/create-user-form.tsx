'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { ActionOutcome, type Outcome, outcomeOf } from '../../_components/action-outcome';
import { SelectField, SubmitButton, TextField } from '../../_components/field';
import { ROLES } from '../auth/permissions';
import { createUserAction } from './user-actions';

/** Name, role and first password of a new user; the gateway checks the name rule and password length. */
export function CreateUserForm() {
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>(ROLES[0]);
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createUserAction({ name, role, password });
      setOutcome(outcomeOf(result));
      if (result.ok) {
        setName('');
        setPassword('');
      }
    });
  }

  return (
    <form onSubmit={submit} aria-label="Create user" className="grid gap-4 md:grid-cols-[1fr_12rem_1fr_auto] md:items-end">
      <TextField id="new-user-name" label="Name" required value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      <SelectField id="new-user-role" label="Role" options={ROLES} value={role} onChange={(e) => setRole(e.target.value)} />
      <TextField id="new-user-password" label="Initial password" type="password" autoComplete="new-password" hint="At least 12 characters" value={password} onChange={(e) => setPassword(e.target.value)} />
      <SubmitButton pending={pending}>Create user</SubmitButton>
      <div className="md:col-span-4">
        <ActionOutcome outcome={outcome} />
      </div>
    </form>
  );
}
