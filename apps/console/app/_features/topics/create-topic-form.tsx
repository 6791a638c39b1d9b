'use client';

import { useActionState, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../_components/error-notice';
import { SubmitButton, TextAreaField, TextField } from '../../_components/field';
import { createTopicAction, type CreateTopicState } from './create-topic-action';
import { fieldsFrom, parseCreateTopicForm, type FieldErrors } from './create-topic-input';

const initial: CreateTopicState = { values: { topic_name: '', partitions_count: '1', replication_factor: '1', configs: '' }, errors: {} };

export function CreateTopicForm() {
  const [state, action, pending] = useActionState(createTopicAction, initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const errors = clientErrors ?? state.errors;

  // Same schema as the server action and the gateway: obvious mistakes never leave the page.
  function validate(event: FormEvent<HTMLFormElement>) {
    const parsed = parseCreateTopicForm(fieldsFrom(new FormData(event.currentTarget)));
    if (!parsed.ok) {
      event.preventDefault();
      setClientErrors(parsed.errors);
    } else {
      setClientErrors(null);
    }
  }

  return (
    // key: React resets a form after its action; re-mounting with the returned values keeps the input.
    <form key={JSON.stringify(state)} action={action} onSubmit={validate} noValidate className="max-w-xl space-y-4">
      {state.gatewayError && <ErrorNotice message={state.gatewayError.message} code={state.gatewayError.code} />}
      <TextField id="topic_name" label="Name" required defaultValue={state.values.topic_name} error={errors.topic_name} hint="1–249 of letters, digits, '.', '_' and '-'" autoComplete="off" />
      <div className="grid grid-cols-2 gap-4">
        <TextField id="partitions_count" label="Partitions" type="number" min={1} inputMode="numeric" defaultValue={state.values.partitions_count} error={errors.partitions_count} />
        <TextField id="replication_factor" label="Replication factor" type="number" min={1} inputMode="numeric" defaultValue={state.values.replication_factor} error={errors.replication_factor} />
      </div>
      <TextAreaField id="configs" label="Configs" rows={4} defaultValue={state.values.configs} error={errors.configs} hint="One name=value per line, e.g. retention.ms=604800000" placeholder="cleanup.policy=compact" />
      <SubmitButton pending={pending}>Create topic</SubmitButton>
    </form>
  );
}
