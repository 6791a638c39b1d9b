'use client';

import Link from 'next/link';
import { useActionState, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../_components/error-notice';
import { SubmitButton, TextAreaField } from '../../_components/field';
import { produceAction, type ProduceState } from './produce-action';
import { parseProduceForm, produceFieldsFrom, type ProduceFieldErrors } from './produce-input';

const select = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900';
const initial: ProduceState = { values: { partition: '', key_type: 'STRING', key: '', value_type: 'STRING', value: '', headers: '' }, errors: {} };

function TypeSelect({ id, label, defaultValue }: { id: string; label: string; defaultValue: string }) {
  return (
    <label className="flex items-center gap-2 text-xs">
      {label}
      <select id={id} name={id} defaultValue={defaultValue} className={select}>
        <option value="STRING">String</option>
        <option value="JSON">JSON</option>
        <option value="BINARY">Binary (base64)</option>
      </select>
    </label>
  );
}

export function ProduceForm({ topic, partitionsCount }: { topic: string; partitionsCount: number }) {
  const [state, action, pending] = useActionState(produceAction.bind(null, topic), initial);
  const [clientErrors, setClientErrors] = useState<ProduceFieldErrors | null>(null);
  const errors = clientErrors ?? state.errors;
  const v = state.values;

  function validate(event: FormEvent<HTMLFormElement>) {
    const parsed = parseProduceForm(produceFieldsFrom(new FormData(event.currentTarget)));
    setClientErrors(parsed.ok ? null : parsed.errors);
    if (!parsed.ok) event.preventDefault();
  }

  return (
    <form key={JSON.stringify(state)} action={action} onSubmit={validate} noValidate className="max-w-3xl space-y-4" aria-label="Produce a message">
      {state.gatewayError && <ErrorNotice message={state.gatewayError.message} code={state.gatewayError.code} />}
      {state.delivered && (
        <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 px-4 py-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100" data-testid="produce-result">
          Delivered to partition {state.delivered.partition} at offset {state.delivered.offset}.{' '}
          <Link className="underline" href={`/topics/${encodeURIComponent(topic)}?tab=messages&partition=${state.delivered.partition}&seek=offset&offset=${state.delivered.offset}`}>
            See it in the message browser
          </Link>
        </p>
      )}
      <label className="flex flex-col gap-1 text-sm font-medium">
        Partition
        <select name="partition" defaultValue={v.partition} className={`${select} w-64`} aria-invalid={errors.partition !== undefined}>
          <option value="">Any (default partitioner)</option>
          {Array.from({ length: partitionsCount }, (_, p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        {errors.partition && <span className="text-sm font-normal text-rose-700 dark:text-rose-400">{errors.partition}</span>}
      </label>
      <div className="space-y-1">
        <TypeSelect id="key_type" label="Key type" defaultValue={v.key_type} />
        <TextAreaField id="key" label="Key" rows={1} defaultValue={v.key} error={errors.key} hint="Empty for a null key" />
      </div>
      <div className="space-y-1">
        <TypeSelect id="value_type" label="Value type" defaultValue={v.value_type} />
        <TextAreaField id="value" label="Value" rows={5} defaultValue={v.value} error={errors.value} hint="Empty for a null value (a tombstone)" />
      </div>
      <TextAreaField id="headers" label="Headers" rows={2} defaultValue={v.headers} error={errors.headers} hint="One name=value per line" />
      <SubmitButton pending={pending}>Produce</SubmitButton>
    </form>
  );
}
