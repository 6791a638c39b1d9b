/**
 * The one HTTP edge between the console's server side and the gateway. Every data-access
 * module goes through `gatewayRequest`, so errors always arrive as a `GatewayError`
 * carrying the gateway's Confluent body (`{error_code, message}`).
 */

/** Where the console's server side reaches the gateway; read at run time, not build time. */
export function gatewayUrl(): string {
  return process.env.WEIR_GATEWAY_URL ?? 'http://127.0.0.1:8082';
}

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
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Defaults to 10 s; the console never waits on a gateway forever. */
  timeoutMs?: number;
  baseUrl?: string;
}

export function buildUrl(base: string, path: string, query?: RequestOptions['query']): string {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

export async function gatewayRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, timeoutMs = 10_000, baseUrl = gatewayUrl() } = options;
  let res: Response;
  try {
    res = await fetch(buildUrl(baseUrl, path, query), {
      method,
      cache: 'no-store',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new GatewayError(503, 50300, `The gateway at ${baseUrl} is unreachable: ${reason}`);
  }
  const text = await res.text();
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
