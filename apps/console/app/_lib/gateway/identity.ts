import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { forwardedProto, PATH_HEADER } from './forwarding';

/**
 * The signed-in user's identity on the console's calls to the gateway. The browser holds
 * the gateway's session cookies (set through the `/gateway/*` proxy, so on this origin);
 * the console's server side acts for that browser, so it forwards them:
 *
 * - `weir_session` on every call, and `x-csrf-token` (the readable `weir_csrf` cookie) on
 *   every call that changes something: the gateway refuses a cookie-authenticated
 *   mutation without it. A server action is reached only after Next's own origin check,
 *   so the header is not a way around CSRF, only what the gateway asks of a session.
 * - `x-weir-console: 1`, so the audit log records the console as the door.
 * - `x-forwarded-proto` as the browser used it, so the gateway marks cookies Secure when
 *   the console is served over TLS.
 */

export const SESSION_COOKIE = 'weir_session';
export const CSRF_COOKIE = 'weir_csrf';

/** Headers for a call to the gateway made while serving a browser's request; none outside one (build time). */
export async function identityHeaders(method: string): Promise<Record<string, string>> {
  let jar: Awaited<ReturnType<typeof cookies>>;
  let incoming: Awaited<ReturnType<typeof headers>>;
  try {
    [jar, incoming] = await Promise.all([cookies(), headers()]);
  } catch {
    return { 'x-weir-console': '1' };
  }
  const out: Record<string, string> = { 'x-weir-console': '1', 'x-forwarded-proto': forwardedProto(incoming) };
  const session = jar.get(SESSION_COOKIE)?.value;
  if (session !== undefined) out.cookie = `${SESSION_COOKIE}=${session}`;
  const csrf = jar.get(CSRF_COOKIE)?.value;
  if (csrf !== undefined && method !== 'GET' && method !== 'HEAD') out['x-csrf-token'] = csrf;
  const client = incoming.get('x-forwarded-for');
  if (client !== null) out['x-forwarded-for'] = client;
  return out;
}

/** The path and query this request's browser asked for (from proxy.ts); `/` outside a request. */
export async function currentPath(): Promise<string> {
  try {
    return (await headers()).get(PATH_HEADER) ?? '/';
  } catch {
    return '/';
  }
}

/** Where to sign in and come back to this page: `/login?next=<path>`. */
export async function loginPath(): Promise<string> {
  const next = await currentPath();
  return next === '/' || next.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/** A 401 from the gateway: the session is missing or over; sign in again and come back. */
export async function unauthorized(): Promise<never> {
  redirect(await loginPath());
}
