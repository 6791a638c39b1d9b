import { GatewayError } from './http';

/** What a server action that changes the cluster tells its form: done (with what it got back), or the gateway's refusal. */
export type ActionResult<T = undefined> = { ok: true; value: T } | { ok: false; code: number; message: string };

/**
 * Runs a gateway call for a server action: a refusal (a Confluent error body) becomes a
 * result the form shows with its code; anything else is a bug and is thrown.
 */
export async function gatewayAction<T>(change: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await change() };
  } catch (err) {
    if (err instanceof GatewayError) return { ok: false, code: err.errorCode, message: err.message };
    throw err;
  }
}
