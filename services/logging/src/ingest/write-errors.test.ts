import { describe, expect, it } from 'vitest';
import { Prisma } from '@aigw/db';
import { describeError, driverErrorCode, isDuplicateKey, isRowRejected, isWriteRace } from './write-errors.js';

function driverError(originalCode: string, message = 'Raw query failed.'): Prisma.PrismaClientKnownRequestError {
  return new Prisma.PrismaClientKnownRequestError(`Invalid \`prisma.$executeRaw()\` invocation:\n\n\n${message}`, {
    code: 'P2010',
    clientVersion: 'test',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode, kind: 'x' } } },
  });
}

describe('database error classes', () => {
  it('treats duplicate keys, deadlocks and lock timeouts as races to retry at once', () => {
    expect(['1062', '1213', '1205'].map((code) => isWriteRace(driverError(code)))).toEqual([true, true, true]);
    expect(isWriteRace(driverError('1406'))).toBe(false);
    expect(isWriteRace(new Error('connect ECONNREFUSED'))).toBe(false);
  });

  it('tells a duplicate key from other races', () => {
    expect(isDuplicateKey(driverError('1062'))).toBe(true);
    expect(['1213', '1205', '1406'].some((code) => isDuplicateKey(driverError(code)))).toBe(false);
    expect(isDuplicateKey(new Error('Duplicate entry'))).toBe(false);
  });

  it('recognises values the database refuses, and nothing else', () => {
    expect(isRowRejected(driverError('1406'))).toBe(true);
    expect(isRowRejected(driverError('1292'))).toBe(true);
    expect(isRowRejected(driverError('1062'))).toBe(false);
    expect(isRowRejected(new Error('pool timeout'))).toBe(false);
  });

  it('describes an error by its code and last line only', () => {
    const error = driverError('1406', "Raw query failed. Code: `1406`. Message: `Data too long for column 'model'`");
    expect(driverErrorCode(error)).toBe('1406');
    expect(describeError(error)).toEqual({
      name: 'PrismaClientKnownRequestError',
      code: '1406',
      message: "Raw query failed. Code: `1406`. Message: `Data too long for column 'model'`",
    });
    expect(describeError('plain')).toEqual({ name: 'string', message: 'plain' });
  });
});
