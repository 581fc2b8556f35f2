import { defineConfig } from 'prisma/config';

// Read by the Prisma CLI only (generate, migrate deploy); the services build their client with createPrisma().
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // process.env rather than env(): env() throws when the variable is unset, and `prisma generate` must run
  // offline without a database. Commands that need the database still fail, with Prisma's own message.
  datasource: { url: process.env['DATABASE_URL'] },
});
