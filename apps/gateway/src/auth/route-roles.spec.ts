import { routeAccess } from './route-roles.js';

describe('route roles', () => {
  it('defaults reads to viewer and changes to operator', () => {
    expect(routeAccess('GET', '/v3/clusters/:cluster_id/topics')).toBe('viewer');
    expect(routeAccess('HEAD', '/v3/clusters/:cluster_id/topics')).toBe('viewer');
    expect(routeAccess('POST', '/v3/clusters/:cluster_id/topics')).toBe('operator');
    expect(routeAccess('DELETE', '/v3/clusters/:cluster_id/topics/:topic_name')).toBe('operator');
  });

  it('keeps people, permissions, the registry and whole brokers for admins', () => {
    for (const [method, route] of [
      ['GET', '/v3/users'],
      ['DELETE', '/v3/users/:name'],
      ['GET', '/v3/audit-log'],
      ['GET', '/v3/clusters/:cluster_id/acls'],
      ['POST', '/v3/clusters/:cluster_id/acls'],
      ['GET', '/v3/clusters/:cluster_id/registry/nodes'],
      ['POST', '/v3/clusters/:cluster_id/brokers/:broker_id/stop'],
      ['POST', '/v3/clusters/:cluster_id/brokers/:broker_id/start'],
      ['POST', '/v3/clusters/:cluster_id/topics/-/partitions/-/leader-election'],
    ] as const) {
      expect([method, route, routeAccess(method, route)]).toEqual([method, route, 'admin']);
    }
    expect(routeAccess('POST', '/v3/clusters/:cluster_id/topics/:topic_name/partitions/-/leader-election')).toBe('operator');
  });

  it('lets anyone sign in and any user reach their own session and keys', () => {
    expect(routeAccess('POST', '/v3/auth/login')).toBe('public');
    expect(routeAccess('POST', '/v3/auth/login-link')).toBe('public');
    expect(routeAccess('GET', '/healthz')).toBe('public');
    expect(routeAccess('GET', '/v3/auth/me')).toBe('authenticated');
    expect(routeAccess('POST', '/v3/auth/logout')).toBe('authenticated');
    expect(routeAccess('POST', '/v3/users/:name/api-keys')).toBe('authenticated');
    expect(routeAccess('DELETE', '/v3/users/:name/api-keys/:key_id')).toBe('authenticated');
    // A GET of the login route is no public door.
    expect(routeAccess('GET', '/v3/auth/login')).toBe('authenticated');
  });
});
