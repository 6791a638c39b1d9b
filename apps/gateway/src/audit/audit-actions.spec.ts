import 'reflect-metadata';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { AUDIT_ACTIONS, auditRouteKey, NOT_AUDITED } from './audit-actions.js';

/** Every route the application registers, as `METHOD /pattern` (the pattern fastify matches, as Nest joins it). */
function registeredRoutes(): string[] {
  const routes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (entry: Type | DynamicModule | Promise<DynamicModule> | undefined): void => {
    if (entry === undefined || entry instanceof Promise || seen.has(entry)) return;
    seen.add(entry);
    const dynamic = 'module' in entry ? entry : undefined;
    const moduleClass = dynamic?.module ?? (entry as Type);
    const imports = [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) as unknown[] | undefined) ?? []), ...(dynamic?.imports ?? [])];
    const controllers = [...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) as Type[] | undefined) ?? []), ...(dynamic?.controllers ?? [])];
    for (const controller of controllers) {
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const joined = `/${[base, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p !== '').join('/')}`;
        routes.push(auditRouteKey(RequestMethod[method], joined));
      }
    }
    for (const i of imports) visit(i as Type | DynamicModule);
  };
  visit(AppModule.forConfig({} as GatewayConfig));
  return routes;
}

/**
 * The resource family of a route (`/v3/users`, `/v3/clusters/:cluster_id/acls`): a table
 * entry for a family this build serves no route of at all belongs to a part not yet built.
 */
function familyOf(key: string): string {
  const segments = key.split(' ')[1]!.split('/').filter((s) => s !== '');
  const skip = segments[1] === 'clusters' ? 3 : 1;
  return `/${segments.slice(0, skip + 1).join('/')}`;
}

describe('audit action table', () => {
  const routes = registeredRoutes();

  it('finds the application\'s routes', () => {
    expect(routes).toContain('POST /v3/clusters/:cluster_id/topics');
    expect(routes).toContain('GET /v3/audit-log');
  });

  it('has an entry (or a stated exclusion) for every mutating route', () => {
    const mutating = routes.filter((r) => !/^(GET|HEAD|OPTIONS) /.test(r));
    const missing = mutating.filter((r) => !AUDIT_ACTIONS.has(r) && !NOT_AUDITED.has(r));
    expect(missing).toEqual([]);
  });

  it('names only routes that exist, so a renamed route cannot silently drop out of the log', () => {
    const served = (family: string) => routes.some((r) => r.split(' ')[1]!.startsWith(family));
    const stale = [...AUDIT_ACTIONS.keys(), ...NOT_AUDITED.keys()].filter((k) => !routes.includes(k) && served(familyOf(k)));
    expect(stale).toEqual([]);
  });

  it('never audits reads, the audit log\'s own included', () => {
    expect([...AUDIT_ACTIONS.keys()].filter((k) => k.startsWith('GET ') || k.includes('audit-log'))).toEqual([]);
  });
});
