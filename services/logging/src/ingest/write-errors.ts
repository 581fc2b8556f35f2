import { Prisma } from '@aigw/db';

// MariaDB errors that mean "another writer got there first": retrying the batch at once resolves them.
const RACE_CODES = new Set(['1062', '1213', '1205']);

// MariaDB errors about a row's values (NULL in NOT NULL, out of range, truncated, bad date or string, too long):
// retrying the same rows can never succeed.
const ROW_REJECTED_CODES = new Set(['1048', '1264', '1265', '1292', '1366', '1367', '1406']);

/** The MariaDB error number behind a Prisma error, when there is one. */
export function driverErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const meta = error.meta as { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** A unique key already taken: a request id stored before, by this consumer or another. */
export function isDuplicateKey(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return true;
  return driverErrorCode(error) === '1062';
}

/** A duplicate key, deadlock or lock wait timeout: a concurrent consumer raced this batch. */
export function isWriteRace(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || error.code === 'P2034')) return true;
  const code = driverErrorCode(error);
  return code !== undefined && RACE_CODES.has(code);
}

/** The database refused a value of some row: the batch holds an event that can never be stored as it is. */
export function isRowRejected(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code !== undefined && ROW_REJECTED_CODES.has(code);
}

/** A short description for logs: the error's class, code and first line, never a query or its values. */
export function describeError(error: unknown): { name: string; code?: string; message: string } {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error).slice(0, 200) };
  const code = driverErrorCode(error) ?? (error as { code?: unknown }).code;
  const lines = error.message.split('\n').map((line) => line.trim()).filter(Boolean);
  // Prisma's messages start with "Invalid `prisma.$executeRaw()` invocation:"; the cause is the last line.
  const message = (lines.at(-1) ?? '').slice(0, 200);
  return { name: error.name, ...(code === undefined ? {} : { code: String(code) }), message };
}
