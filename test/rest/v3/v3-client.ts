/** A small JSON client for the v3 e2e suites: every call returns status and parsed body. */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export type ErrorBody = { error_code: number; message: string };

export async function call<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** Parses a body of concatenated JSON objects, one per line, as streamed delivery reports come. */
export function parseLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export function b64(text: string | Buffer): string {
  return Buffer.from(text).toString('base64');
}
