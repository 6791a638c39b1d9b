import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RegistryModule } from '../registry/registry.module.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { Authenticator } from './authenticator.js';
import { CredentialCache } from './credential-cache.js';
import { FirstStart } from './first-start.js';
import { LiveAccess } from './live-access.js';
import { LiveUpgradeAuth } from './live-upgrade.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { SessionsService } from './sessions.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/**
 * Authentication of the REST API and the /live socket: users, API keys, console sessions,
 * the first admin, the rate limit and the global guards (rate limit first, so refused
 * credentials count too; then authentication and roles).
 */
@Global()
@Module({
  imports: [RegistryModule],
  controllers: [AuthController, UsersController],
  providers: [
    { provide: CredentialCache, useFactory: () => new CredentialCache() },
    UsersService,
    ApiKeysService,
    SessionsService,
    Authenticator,
    FirstStart,
    LiveAccess,
    LiveUpgradeAuth,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [Authenticator, LiveAccess, LiveUpgradeAuth, UsersService, ApiKeysService],
})
export class AuthModule {}
