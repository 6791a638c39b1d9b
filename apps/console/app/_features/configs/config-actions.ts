'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { checkTopicConfig, revertTopicConfig, setTopicConfig } from '../../_lib/gateway/configs';

export type ConfigActionResult = ActionResult<void>;

async function run(topic: string, change: () => Promise<void>): Promise<ConfigActionResult> {
  const result = await gatewayAction(change);
  if (result.ok) revalidatePath(`/topics/${encodeURIComponent(topic)}`);
  return result;
}

/** The broker's verdict on a value without applying it (validate_only): its type, range or allowed values. */
export async function checkConfigAction(topic: string, name: string, value: string): Promise<ConfigActionResult> {
  return gatewayAction(() => checkTopicConfig(topic, name, value));
}

/** Sets an override; the gateway validates the value and names the config when it refuses. */
export async function setConfigAction(topic: string, name: string, value: string): Promise<ConfigActionResult> {
  return run(topic, () => setTopicConfig(topic, name, value));
}

/** Removes the override, so the default applies again. */
export async function revertConfigAction(topic: string, name: string): Promise<ConfigActionResult> {
  return run(topic, () => revertTopicConfig(topic, name));
}
