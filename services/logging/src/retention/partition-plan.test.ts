import { describe, expect, it } from 'vitest';
import { boundDay, dropSql, planPartitions, reorganizeSql, type PartitionInfo } from './partition-plan.js';

const at = (iso: string): number => Date.parse(iso);
const day = (name: string, bound: string): PartitionInfo => ({ name, description: `'${bound}'` });
const pmax: PartitionInfo = { name: 'pmax', description: 'MAXVALUE' };

describe('planPartitions', () => {
  it('makes the missing days through today + aheadDays, each bounded by the next midnight', () => {
    const plan = planPartitions([day('p20261206', '2026-12-07'), day('p20261207', '2026-12-08'), pmax], {
      nowMs: at('2026-12-07T13:00:00Z'),
      aheadDays: 2,
      retentionDays: 0,
    });
    expect(plan.create).toEqual([
      { name: 'p20261208', lessThan: '2026-12-09' },
      { name: 'p20261209', lessThan: '2026-12-10' },
    ]);
    expect(plan.drop).toEqual([]);
  });

  it('creates nothing when the days ahead exist already', () => {
    const plan = planPartitions([day('p20261207', '2026-12-08'), day('p20261208', '2026-12-09'), pmax], {
      nowMs: at('2026-12-07T23:59:59Z'),
      aheadDays: 1,
      retentionDays: 0,
    });
    expect(plan.create).toEqual([]);
  });

  it('starts at today on a table that has only pmax, and fills days missed while nothing ran', () => {
    expect(planPartitions([pmax], { nowMs: at('2026-12-07T00:00:00Z'), aheadDays: 1, retentionDays: 0 }).create.map((p) => p.name)).toEqual([
      'p20261207',
      'p20261208',
    ]);
    expect(
      planPartitions([day('p20261203', '2026-12-04'), pmax], { nowMs: at('2026-12-06T05:00:00Z'), aheadDays: 0, retentionDays: 0 }).create.map(
        (p) => p.name,
      ),
    ).toEqual(['p20261204', 'p20261205', 'p20261206']);
  });

  it('drops exactly the days whose every row is older than the retention period, never pmax', () => {
    const partitions = [
      day('p20261105', '2026-11-06'),
      day('p20261106', '2026-11-07'),
      day('p20261107', '2026-11-08'),
      day('p20261207', '2026-12-08'),
      pmax,
    ];
    // now − 30 days = 2026-11-07T12:00Z: the 6th ended before it, the 7th holds rows newer than it.
    const plan = planPartitions(partitions, { nowMs: at('2026-12-07T12:00:00Z'), aheadDays: 0, retentionDays: 30 });
    expect(plan.drop).toEqual(['p20261105', 'p20261106']);
    // At the midnight that ends a day, that day goes.
    expect(planPartitions(partitions, { nowMs: at('2026-12-08T00:00:00Z'), aheadDays: 0, retentionDays: 30 }).drop).toEqual([
      'p20261105',
      'p20261106',
      'p20261107',
    ]);
    expect(planPartitions(partitions, { nowMs: at('2027-06-01T00:00:00Z'), aheadDays: 0, retentionDays: 0 }).drop).toEqual([]);
  });

  it('crosses month and year ends', () => {
    const plan = planPartitions([day('p20261230', '2026-12-31'), pmax], { nowMs: at('2026-12-31T10:00:00Z'), aheadDays: 2, retentionDays: 0 });
    expect(plan.create).toEqual([
      { name: 'p20261231', lessThan: '2027-01-01' },
      { name: 'p20270101', lessThan: '2027-01-02' },
      { name: 'p20270102', lessThan: '2027-01-03' },
    ]);
  });
});

describe('boundDay', () => {
  it('reads the bound as MariaDB and MySQL spell it', () => {
    expect(boundDay("'2026-12-08'")).toBe('2026-12-08');
    expect(boundDay("'2026-12-08 00:00:00'")).toBe('2026-12-08');
    expect(boundDay('MAXVALUE')).toBeUndefined();
    expect(boundDay(null)).toBeUndefined();
  });
});

describe('partition SQL', () => {
  it('splits pmax and keeps a new pmax last; drops by quoted name', () => {
    expect(reorganizeSql([{ name: 'p20261208', lessThan: '2026-12-09' }])).toBe(
      "ALTER TABLE request_logs REORGANIZE PARTITION pmax INTO (PARTITION p20261208 VALUES LESS THAN ('2026-12-09'), PARTITION pmax VALUES LESS THAN (MAXVALUE))",
    );
    expect(dropSql(['p20261101', 'p20261102'])).toBe('ALTER TABLE request_logs DROP PARTITION `p20261101`, `p20261102`');
  });
});
