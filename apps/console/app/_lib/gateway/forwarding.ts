/**
 * What the console's proxy and server side tell each other and the gateway about the
 * browser's request. No Next request APIs here: proxy.ts imports it too.
 */

/** Where the console reaches the gateway; read at run time, not build time. */
export function gatewayUrl(): string {
  return process.env.WEIR_GATEWAY_URL ?? 'http://127.0.0.1:8082';
}

/** Set by proxy.ts on every page request: the path and query the browser asked for. */
export const PATH_HEADER = 'x-weir-path';

/** `https` when the browser reached the console over TLS (directly or through a terminating proxy). */
export function forwardedProto(incoming: { get(name: string): string | null }): 'http' | 'https' {
  const said = incoming.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return said === 'https' ? 'https' : 'http';
}

/** A `next` parameter safe to send the browser to after login: a path on this origin, never another site. */
export function safeNextPath(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (value === undefined || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith('/login')) return '/';
  return value;
}
