import { gatewayUrl } from './forwarding';
import { identityHeaders, unauthorized } from './identity';

/**
 * The one HTTP edge between the console's server side and the gateway. Every data-access
 * module goes through `gatewayRequest`, so errors always arrive as a `GatewayError`
 * carrying the gateway's Confluent body (`{error_code, message}`), every call carries the
 * signed-in user's session (see identity.ts), and a 401 sends the browser to /login.
 */

// Defined beside the proxy's other settings (proxy.ts must not import this module's request APIs).
export { gatewayUrl } from './forwarding';

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    /** Confluent's code (HTTP status * 100 + n), or the HTTP status * 100 when the body had none. */
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get notFound(): boolean {
    return this.status === 404;
  }

  /** The gateway's role check said no (the user is signed in, but may not do this). */
  get forbidden(): boolean {
    return this.status === 403;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Defaults to 10 s; the console never waits on a gateway forever. */
  timeoutMs?: number;
  baseUrl?: string;
  /**
   * What a 401 does: `login` (the default) redirects to /login?next=<this page>; `throw`
   * raises it as a GatewayError, for the calls that decide about login themselves.
   */
  onUnauthorized?: 'login' | 'throw';
}

export function buildUrl(base: string, path: string, query?: RequestOptions['query']): string {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

export async function gatewayRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, timeoutMs = 10_000, baseUrl = gatewayUrl(), onUnauthorized = 'login' } = options;
  const headers: Record<string, string> = { accept: 'application/json', ...(await identityHeaders(method)) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(buildUrl(baseUrl, path, query), {
      method,
      cache: 'no-store',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new GatewayError(503, 50300, `The gateway at ${baseUrl} is unreachable: ${reason}`);
  }
  const text = await res.text();
  if (res.status === 401 && onUnauthorized === 'login') await unauthorized();
  if (!res.ok) throw errorFromBody(res.status, text);
  if (text.length === 0) return undefined as T;
  return JSON.parse(text) as T;
}

function errorFromBody(status: number, text: string): GatewayError {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.message === 'string') {
      const code = typeof body.error_code === 'number' ? body.error_code : status * 100;
      return new GatewayError(status, code, body.message);
    }
  } catch {
    // not JSON: fall through to the status line
  }
  return new GatewayError(status, status * 100, text.trim().slice(0, 300) || `HTTP ${status}`);
}
