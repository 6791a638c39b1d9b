import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PrismaClient } from '@weir/registry-prisma';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config.js';
import { PRISMA } from '../registry/registry.module.js';
import { ApiKeysService } from './api-keys.service.js';
import { SessionsService } from './sessions.service.js';
import { isUniqueViolation } from './users.service.js';

export const FIRST_ADMIN = 'admin';
export const ADMIN_KEY_FILE = 'admin-api-key';
const DEFAULT_CONSOLE_URL = 'http://127.0.0.1:3000';

/**
 * At start-up with authentication on and no user at all, creates the first admin: no
 * password (nothing to guess or leak), an API key written to `<data dir>/admin-api-key`
 * (readable by the owner only) and a one-time console login link, both printed. Several
 * processes starting together on one PostgreSQL race on the unique user name: one creates
 * the admin, the others see the conflict and leave it. With authentication off, warns at
 * every start.
 */
@Injectable()
export class FirstStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.security.authEnabled) {
      this.logger.warn(`authentication is off (WEIR_AUTH=off): anyone who can reach ${this.config.host} on the REST port is admin`);
      return;
    }
    // The brokers' own user (WEIR_INTER_BROKER_USERNAME, made by the broker module at start) is not an administrator.
    const brokerUser = this.config.interBroker.sasl?.username;
    if ((await this.prisma.securityUser.count({ where: brokerUser === undefined ? {} : { name: { not: brokerUser } } })) > 0) return;
    let adminId: number;
    try {
      adminId = (await this.prisma.securityUser.create({ data: { name: FIRST_ADMIN, role: 'admin' } })).id;
    } catch (err) {
      if (isUniqueViolation(err)) return; // another process made the first admin
      throw err;
    }
    const key = await this.apiKeys.createFor(adminId, 'first start', null);
    const keyFile = writeOwnerOnly(this.config.dataDir, ADMIN_KEY_FILE, `${key.key}\n`);
    const token = await this.sessions.createLoginLink(adminId, new Date());
    const consoleUrl = (this.config.security.consoleUrl ?? DEFAULT_CONSOLE_URL).replace(/\/+$/, '');
    this.logger.log(`first start: created user "${FIRST_ADMIN}" (role admin, no password); its API key is in ${keyFile}`);
    this.logger.log(`sign in to the console once, within 24 hours, with ${consoleUrl}/login?token=${encodeURIComponent(token)}`);
  }
}

/** Writes a new file created with mode 0600, so there is no moment when others may read it. */
function writeOwnerOnly(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  // A file left from an earlier database would keep its own mode; start from none.
  rmSync(path, { force: true });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return path;
}
