'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { GatewayError } from '../../_lib/gateway/http';
import { createTopic } from '../../_lib/gateway/topics';
import { fieldsFrom, parseCreateTopicForm, type CreateTopicFields, type FieldErrors } from './create-topic-input';

export interface CreateTopicState {
  values: CreateTopicFields;
  errors: FieldErrors;
  gatewayError?: { code: number; message: string };
}

/** Validates again on the server (never trust the browser), creates, then opens the topic. */
export async function createTopicAction(_previous: CreateTopicState, formData: FormData): Promise<CreateTopicState> {
  const values = fieldsFrom(formData);
  const parsed = parseCreateTopicForm(values);
  if (!parsed.ok) return { values, errors: parsed.errors };
  try {
    await createTopic(parsed.request);
  } catch (err) {
    if (err instanceof GatewayError) return { values, errors: {}, gatewayError: { code: err.errorCode, message: err.message } };
    throw err;
  }
  revalidatePath('/topics');
  redirect(`/topics/${encodeURIComponent(parsed.request.topic_name)}`);
}
