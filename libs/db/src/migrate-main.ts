// `npm run migrate -w @aigw/db`: applies pending migrations to DATABASE_URL (or the file DATABASE_URL_FILE
// names) without Prisma's schema engine.
import { resolveFileSettings } from '@aigw/config';
import { redactPassword } from './database-url.js';
import { applyMigrations } from './migrator.js';

const { values, problems } = resolveFileSettings(['DATABASE_URL'], process.env);
const databaseUrl = values['DATABASE_URL'] ?? '';

/** One line, password removed: the output of a Kubernetes Job ends up in shared logs. */
function printable(message: string): string {
  return redactPassword(message, databaseUrl).replace(/\s*\n\s*/g, ' | ');
}

if (problems.length > 0) {
  console.error(`migrate: ${problems.join('; ')}`);
  process.exitCode = 2;
} else if (databaseUrl === '') {
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
