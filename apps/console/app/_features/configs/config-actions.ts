'use server';

import { revalidatePath } from 'next/cache';
import { revertTopicConfig, setTopicConfig } from '../../_lib/gateway/configs';
import { GatewayError } from '../../_lib/gateway/http';

export type ConfigActionResult = { ok: true } | { ok: false; code: number; message: string };

async function run(topic: string, change: () => Promise<void>): Promise<ConfigActionResult> {
  try {
    await change();
  } catch (err) {
    if (err instanceof GatewayError) return { ok: false, code: err.errorCode, message: err.message };
    throw err;
  }
  revalidatePath(`/topics/${encodeURIComponent(topic)}`);
  return { ok: true };
}

/** Sets an override; the gateway validates the value and names the config when it refuses. */
export async function setConfigAction(topic: string, name: string, value: string): Promise<ConfigActionResult> {
  return run(topic, () => setTopicConfig(topic, name, value));
}

/** Removes the override, so the default applies again. */
export async function revertConfigAction(topic: string, name: string): Promise<ConfigActionResult> {
  return run(topic, () => revertTopicConfig(topic, name));
}
