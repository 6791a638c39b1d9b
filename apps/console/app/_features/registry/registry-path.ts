/**
 * The registry page's URL state: the selected znode path (`?path=`), where its children
 * list resumes (`?after=`) and whether large data is shown whole (`?full=1`).
 */
export interface RegistryView {
  readonly path: string;
  readonly after: string | undefined;
  readonly full: boolean;
}

export function parseRegistryView(params: Record<string, string | string[] | undefined>): RegistryView {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const path = one(params.path);
  const after = one(params.after);
  return { path: path === undefined || path === '' ? '/' : path, after: after === '' ? undefined : after, full: one(params.full) === '1' };
}

/** The page's URL for a view: the path, and only the other settings that differ from the defaults. */
export function registryHref(path: string, options: { after?: string; full?: boolean } = {}): string {
  const params = new URLSearchParams({ path });
  if (options.after !== undefined) params.set('after', options.after);
  if (options.full === true) params.set('full', '1');
  return `/registry?${params.toString()}`;
}

/** "/brokers/ids/1" -> ["/", "/brokers", "/brokers/ids", "/brokers/ids/1"]. */
export function ancestorsOf(path: string): string[] {
  if (path === '/') return ['/'];
  const segments = path.split('/').slice(1);
  return ['/', ...segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`)];
}

export function childPathOf(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export function nameOf(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

/** JSON re-indented for reading, or undefined when the text is not JSON (shown as it is then). */
export function prettyJson(text: string): string | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return undefined;
  }
}
