'use server';

import { revalidatePath } from 'next/cache';
import { GatewayError } from '../../_lib/gateway/http';
import { produceRecord } from '../../_lib/gateway/records';
import { parseProduceForm, produceFieldsFrom, type ProduceFieldErrors, type ProduceFields } from './produce-input';

export interface ProduceState {
  values: ProduceFields;
  errors: ProduceFieldErrors;
  gatewayError?: { code: number; message: string };
  delivered?: { partition: number; offset: number };
}

export async function produceAction(topic: string, _previous: ProduceState, formData: FormData): Promise<ProduceState> {
  const values = produceFieldsFrom(formData);
  const parsed = parseProduceForm(values);
  if (!parsed.ok) return { values, errors: parsed.errors };
  try {
    const report = await produceRecord(topic, parsed.request);
    revalidatePath(`/topics/${encodeURIComponent(topic)}`);
    // Keep the form filled in: producing a few similar records in a row is common.
    return { values, errors: {}, delivered: { partition: report.partition_id ?? 0, offset: report.offset ?? 0 } };
  } catch (err) {
    if (err instanceof GatewayError) return { values, errors: {}, gatewayError: { code: err.errorCode, message: err.message } };
    throw err;
  }
}
