// `npm run migrate -w @aigw/db`: applies pending migrations to DATABASE_URL without Prisma's schema engine.
import { redactPassword } from './database-url.js';
import { applyMigrations } from './migrator.js';

const databaseUrl = process.env['DATABASE_URL'] ?? '';

/** One line, password removed: the output of a Kubernetes Job ends up in shared logs. */
function printable(message: string): string {
  return redactPassword(message, databaseUrl).replace(/\s*\n\s*/g, ' | ');
}

if (databaseUrl === '') {
  console.error('migrate: DATABASE_URL is not set');
  process.exitCode = 2;
} else {
  try {
    const applied = await applyMigrations(databaseUrl, {
      logger: {
        info: (message) => console.log(`migrate: ${printable(message)}`),
        warn: (message) => console.warn(`migrate: warning: ${printable(message)}`),
      },
    });
    console.log(`migrate: done, ${applied.length} migration(s) applied`);
  } catch (error) {
    console.error(`migrate: failed: ${printable(error instanceof Error ? error.message : String(error))}`);
    process.exitCode = 1;
  }
}
