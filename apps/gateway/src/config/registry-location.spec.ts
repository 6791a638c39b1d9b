import { ConfigError, loadGatewayConfig, maskUrlCredentials } from './gateway-config.js';

describe('loadGatewayConfig: where the registry lives (WEIR_REGISTRY, DATABASE_URL)', () => {
  it('keeps the registry on PGlite in the data dir when neither is set', () => {
    expect(loadGatewayConfig({})).toMatchObject({ registry: { kind: 'pglite' }, databaseUrl: undefined });
  });

  it('puts the registry and the security tables on the PostgreSQL of DATABASE_URL', () => {
    const url = 'postgresql://weir:secret@db:5432/weir';
    expect(loadGatewayConfig({ DATABASE_URL: url })).toMatchObject({ registry: { kind: 'postgresql', url }, databaseUrl: url });
  });

  it('takes WEIR_REGISTRY=postgresql://... as DATABASE_URL, also when both name the same database', () => {
    const url = 'postgres://db/weir';
    expect(loadGatewayConfig({ WEIR_REGISTRY: url })).toMatchObject({ registry: { kind: 'postgresql', url }, databaseUrl: url });
    expect(loadGatewayConfig({ WEIR_REGISTRY: url, DATABASE_URL: url })).toMatchObject({ registry: { kind: 'postgresql', url }, databaseUrl: url });
  });

  it.each([
    'zookeeper://127.0.0.1:2181',
    'zookeeper://zk1:2181,zk2.example.com:2181,zk-3:2182/weir',
    'zookeeper://[::1]:2181/kafka/cluster_a',
    'zookeeper://zk1/weir',
  ])('puts the registry on ZooKeeper for %s, the security tables on PGlite', (url) => {
    expect(loadGatewayConfig({ WEIR_REGISTRY: url })).toMatchObject({ registry: { kind: 'zookeeper', url }, databaseUrl: undefined });
  });

  it('keeps the security tables on DATABASE_URL when the registry is on ZooKeeper', () => {
    const config = loadGatewayConfig({ WEIR_REGISTRY: 'zookeeper://zk:2181/weir', DATABASE_URL: 'postgresql://db/weir' });
    expect(config).toMatchObject({ registry: { kind: 'zookeeper', url: 'zookeeper://zk:2181/weir' }, databaseUrl: 'postgresql://db/weir' });
  });

  it.each(['zk1:2181', 'mysql://db/weir', ''])('refuses WEIR_REGISTRY=%j naming the variable and both forms', (value) => {
    const load = () => loadGatewayConfig({ WEIR_REGISTRY: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('WEIR_REGISTRY: must be zookeeper://host:port[,host:port...][/chroot] or a postgresql:// URL');
  });

  it.each([
    ['zookeeper://', /WEIR_REGISTRY: registry URL must look like zookeeper:/],
    ['zookeeper://zk1:2181,', /WEIR_REGISTRY: bad host ""/],
    ['zookeeper://zk1:2181//weir', /WEIR_REGISTRY: bad chroot/],
    ['zookeeper://zk1:70000', /WEIR_REGISTRY: bad port 70000/],
    ['zookeeper://zk1:0', /WEIR_REGISTRY: bad port 0/],
  ])('refuses the ZooKeeper URL %j saying what is wrong in one line', (value, message) => {
    const load = () => loadGatewayConfig({ WEIR_REGISTRY: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
    expect(load).not.toThrow(/\n/);
  });

  it('masks credentials of a refused ZooKeeper URL', () => {
    const load = () => loadGatewayConfig({ WEIR_REGISTRY: 'zookeeper://admin:hunter2@zk1:99999/weir' });
    expect(load).toThrow(/WEIR_REGISTRY: bad port 99999/);
    expect(load).not.toThrow(/hunter2/);
  });

  it('refuses two different PostgreSQL databases without printing either', () => {
    const load = () => loadGatewayConfig({ WEIR_REGISTRY: 'postgresql://a:pw1@db/one', DATABASE_URL: 'postgresql://a:pw2@db/two' });
    expect(load).toThrow('WEIR_REGISTRY: names a PostgreSQL database other than DATABASE_URL');
    expect(load).not.toThrow(/pw1|pw2/);
  });

  it('masks the password of a URL for log lines', () => {
    expect(maskUrlCredentials('postgresql://weir:s3cret@db:5432/weir')).toBe('postgresql://weir:***@db:5432/weir');
    expect(maskUrlCredentials('postgresql://db:5432/weir')).toBe('postgresql://db:5432/weir');
    expect(maskUrlCredentials('zookeeper://zk1:2181,zk2:2181/weir')).toBe('zookeeper://zk1:2181,zk2:2181/weir');
  });
});
