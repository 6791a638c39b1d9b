import { ancestorsOf, childPathOf, parseRegistryView, prettyJson, registryHref } from './registry-path';

describe('registry page URL state', () => {
  it('reads the path, paging and full flag, the root by default', () => {
    expect(parseRegistryView({})).toEqual({ path: '/', after: undefined, full: false });
    expect(parseRegistryView({ path: '/brokers/ids', after: 'x', full: '1' })).toEqual({ path: '/brokers/ids', after: 'x', full: true });
    expect(registryHref('/brokers/ids/1')).toBe('/registry?path=%2Fbrokers%2Fids%2F1');
    expect(registryHref('/a', { after: 'b', full: true })).toBe('/registry?path=%2Fa&after=b&full=1');
  });

  it('lists a path\'s ancestors from the root, and joins child paths', () => {
    expect(ancestorsOf('/')).toEqual(['/']);
    expect(ancestorsOf('/brokers/ids/1')).toEqual(['/', '/brokers', '/brokers/ids', '/brokers/ids/1']);
    expect(childPathOf('/', 'brokers')).toBe('/brokers');
    expect(childPathOf('/brokers', 'ids')).toBe('/brokers/ids');
  });

  it('re-indents JSON and leaves other text alone', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('plain')).toBeUndefined();
    expect(prettyJson('{broken')).toBeUndefined();
  });
});
