import { forwardedProto, safeNextPath } from './forwarding';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe('forwarding', () => {
  it('sends the browser back only to a path of this origin after login', () => {
    expect(safeNextPath('/topics?q=a')).toBe('/topics?q=a');
    expect(safeNextPath(['/audit', '/x'])).toBe('/audit');
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath('https://evil.example/')).toBe('/');
    expect(safeNextPath('//evil.example/')).toBe('/');
    expect(safeNextPath('/\\evil.example/')).toBe('/');
    expect(safeNextPath('/login?next=/x')).toBe('/');
  });

  it('reads the first hop of x-forwarded-proto, http unless it says https', () => {
    expect(forwardedProto(headers({ 'x-forwarded-proto': 'https' }))).toBe('https');
    expect(forwardedProto(headers({ 'x-forwarded-proto': 'https, http' }))).toBe('https');
    expect(forwardedProto(headers({ 'x-forwarded-proto': 'javascript' }))).toBe('http');
    expect(forwardedProto(headers({}))).toBe('http');
  });
});
