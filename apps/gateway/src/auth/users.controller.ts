import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiV3 } from '../rest/v3/common/openapi.js';
import { ApiKeysService } from './api-keys.service.js';
import { forbidden } from './auth-errors.js';
import {
  type ApiKeyView,
  apiKeyListSchema,
  type CreateApiKey,
  createApiKeySchema,
  type CreateUser,
  createdApiKeySchema,
  createUserSchema,
  type UpdateUser,
  updateUserSchema,
  type UserView,
  userListSchema,
  userViewSchema,
} from './auth-schemas.js';
import { requestUser, roleAtLeast } from './request-user.js';
import { UsersService } from './users.service.js';

const ADMIN_ERRORS = [400, 401, 403, 404, 409];
const NOTES = {
  401: 'No or wrong credentials (40101)',
  403: 'The admin role is needed, or (API keys) the user is someone else (40301)',
  404: 'No such user or key',
  409: 'The user exists already, or is the last enabled admin',
};

/** Users (admin) and their API keys (admins for anyone, every user for their own). */
@ApiTags('Users')
@Controller('v3/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get()
  @ApiV3({ summary: 'List users', status: 200, response: userListSchema, errors: [401, 403], errorNotes: NOTES })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  @ApiV3({
    summary: 'Create a user',
    description: 'Name: 1-64 of A-Z a-z 0-9 . _ @ - (the Kafka principal is User:<name>). Role viewer, operator or admin. A password (12+ characters) also lets the user sign in to the console and to Kafka with SASL PLAIN or SCRAM; without one, only API keys.',
    status: 201,
    body: createUserSchema,
    response: userViewSchema,
    errors: ADMIN_ERRORS,
    errorNotes: NOTES,
  })
  create(@Body(new ZodValidationPipe(createUserSchema)) body: CreateUser): Promise<UserView> {
    return this.users.create(body);
  }

  @Get(':name')
  @ApiV3({ summary: 'Get a user', status: 200, response: userViewSchema, errors: [401, 403, 404], errorNotes: NOTES })
  get(@Param('name') name: string): Promise<UserView> {
    return this.users.get(name);
  }

  @Patch(':name')
  @ApiV3({ summary: 'Change a user', description: 'Role, password or disabled; a disabled user cannot sign in by any door.', status: 200, body: updateUserSchema, response: userViewSchema, errors: ADMIN_ERRORS, errorNotes: NOTES })
  async update(@Param('name') name: string, @Body(new ZodValidationPipe(updateUserSchema)) body: UpdateUser): Promise<UserView> {
    return (await this.users.update(name, body)).after;
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiV3({ summary: 'Delete a user', description: 'With their API keys and sessions.', status: 204, errors: [401, 403, 404, 409], errorNotes: NOTES })
  async delete(@Param('name') name: string): Promise<void> {
    await this.users.delete(name);
  }

  @Get(':name/api-keys')
  @ApiV3({ summary: "List a user's API keys", status: 200, response: apiKeyListSchema, errors: [401, 403, 404], errorNotes: NOTES })
  listKeys(@Req() req: FastifyRequest, @Param('name') name: string): Promise<ApiKeyView[]> {
    selfOrAdmin(req, name);
    return this.apiKeys.list(name);
  }

  @Post(':name/api-keys')
  @ApiV3({
    summary: 'Create an API key',
    description: 'Answers the key (`<id>.<secret>`) this once; only a hash of the secret is kept. Use it as `Authorization: Bearer <key>`.',
    status: 201,
    body: createApiKeySchema,
    response: createdApiKeySchema,
    errors: [400, 401, 403, 404],
    errorNotes: NOTES,
  })
  createKey(@Req() req: FastifyRequest, @Param('name') name: string, @Body(new ZodValidationPipe(createApiKeySchema)) body: CreateApiKey): Promise<ApiKeyView & { key: string }> {
    selfOrAdmin(req, name);
    return this.apiKeys.create(name, body);
  }

  @Delete(':name/api-keys/:key_id')
  @HttpCode(204)
  @ApiV3({ summary: 'Delete an API key', description: 'The key stops working at once.', status: 204, errors: [401, 403, 404], errorNotes: NOTES })
  async deleteKey(@Req() req: FastifyRequest, @Param('name') name: string, @Param('key_id') keyId: string): Promise<void> {
    selfOrAdmin(req, name);
    await this.apiKeys.delete(name, keyId);
  }
}

function selfOrAdmin(req: FastifyRequest, name: string): void {
  const user = requestUser(req)!;
  if (user.name !== name && !roleAtLeast(user.role, 'admin')) throw forbidden(`Only an admin may manage another user's API keys.`);
}
