export * from './open-store.js';
export * from './prisma-registry-store.js';
export * from './migrations.js';
export * from './pg-notifier.js';
export * from './sql-session.js';
export type { PrismaClient, Prisma } from './generated/prisma/client.js';
