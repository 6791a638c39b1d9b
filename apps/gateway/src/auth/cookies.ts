/** The console session's cookie (httpOnly) and the CSRF token's (readable by the page's script). */
export const SESSION_COOKIE = 'weir_session';
export const CSRF_COOKIE = 'weir_csrf';

/** The value of one cookie in a `Cookie` header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * `Set-Cookie` for a session cookie: SameSite=Strict keeps other sites from sending it,
 * Secure when the browser reached us over TLS (directly or through a proxy that says so).
 * `maxAgeS` 0 clears the cookie.
 */
export function setCookie(name: string, value: string, options: { httpOnly: boolean; secure: boolean; maxAgeS: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Strict', `Max-Age=${options.maxAgeS}`];
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
