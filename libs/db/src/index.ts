export { createPrisma, dbPoolUsage, type CreatePrismaOptions, type DbPoolUsage } from './create-prisma.js';
export {
  BACKSLASH_ESCAPES_SQL,
  createPrismaWithLiterals,
  type PrismaWithLiterals,
  type SqlScalar,
} from './prisma-with-literals.js';
export { Prisma } from './generated/prisma/client.js';
export type {
  Account,
  AccountStat,
  ApiKey,
  ModelRoute,
  PrismaClient,
  Provider,
  Proxy,
  ProxyStat,
  RequestLog,
} from './generated/prisma/client.js';
export { applyMigrations, DEFAULT_MIGRATIONS_DIR, type ApplyMigrationsOptions, type MigrationLogger } from './migrator.js';
export { MigrationError, type MigrationErrorCode } from './migration-error.js';
export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './test-database.js';
