'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { ActionOutcome, type Outcome, outcomeOf } from '../../_components/action-outcome';
import { SelectField, SubmitButton, TextField } from '../../_components/field';
import { ACL_OPERATIONS, ACL_PATTERN_TYPES, ACL_PERMISSIONS, ACL_RESOURCE_TYPES } from './acl-binding';
import { createAclAction } from './acl-actions';
import { parseAclBinding } from './acl-input';

const EMPTY = { resource_type: 'TOPIC', resource_name: '', pattern_type: 'LITERAL', principal: 'User:', host: '*', operation: 'READ', permission: 'ALLOW' };

/** A new ACL: resource (type, pattern, name), principal and host, operation and permission. */
export function CreateAclForm() {
  const [draft, setDraft] = useState(EMPTY);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (key: keyof typeof EMPTY) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const choice = (key: keyof typeof EMPTY) => ({ value: draft[key], onChange: (e: { target: { value: string } }) => set(key)(e.target.value) });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseAclBinding(draft);
    if (!parsed.ok) return setOutcome({ ok: false, text: parsed.message });
    startTransition(async () => {
      const result = await createAclAction(parsed.binding as unknown as Record<string, unknown>);
      setOutcome(outcomeOf(result));
      if (result.ok) setDraft(EMPTY);
    });
  }

  const cluster = draft.resource_type === 'CLUSTER';
  return (
    <form onSubmit={submit} aria-label="Create ACL" className="grid gap-4 md:grid-cols-4 md:items-end">
      <SelectField id="acl-resource-type" label="Resource type" options={ACL_RESOURCE_TYPES} {...choice('resource_type')} />
      <SelectField id="acl-pattern-type" label="Pattern" options={ACL_PATTERN_TYPES} {...choice('pattern_type')} />
      <TextField
        id="acl-resource-name"
        label="Resource name"
        hint={cluster ? 'The cluster is always kafka-cluster' : '* for every one; with PREFIXED, the prefix'}
        value={cluster ? 'kafka-cluster' : draft.resource_name}
        disabled={cluster}
        onChange={(e) => set('resource_name')(e.target.value)}
      />
      <TextField id="acl-principal" label="Principal" hint="User:<name>, or User:* for everyone" value={draft.principal} onChange={(e) => set('principal')(e.target.value)} />
      <TextField id="acl-host" label="Host" hint="* for any host" value={draft.host} onChange={(e) => set('host')(e.target.value)} />
      <SelectField id="acl-operation" label="Operation" options={ACL_OPERATIONS} {...choice('operation')} />
      <SelectField id="acl-permission" label="Permission" options={ACL_PERMISSIONS} {...choice('permission')} />
      <SubmitButton pending={pending}>Create ACL</SubmitButton>
      <div className="md:col-span-4">
        <ActionOutcome outcome={outcome} />
      </div>
    </form>
  );
}
