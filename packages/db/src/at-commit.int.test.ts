import { eq, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  integer,
  json,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { transactionWritingAtCommit } from './at-commit';
import { insertText, updateText } from './sql-text';
import type { Db } from './client';
import { priorityEnum } from './schema';
import { createTestDatabase } from './testing';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A column of every kind a queued write may carry. */
const sample = pgTable('at_commit_sample', {
  key: text().primaryKey(),
  text: text(),
  int: integer(),
  big: bigint({ mode: 'number' }),
  bigText: bigint({ mode: 'bigint' }),
  num: numeric(),
  float: doublePrecision(),
  flag: boolean(),
  at: timestamp({ withTimezone: true, mode: 'date' }),
  id: uuid(),
  doc: jsonb().$type<unknown>(),
  docText: json().$type<unknown>(),
  tags: text().array(),
  nums: integer().array(),
  ids: uuid().array(),
  priorities: priorityEnum().array(),
  stamps: timestamp({ withTimezone: true, mode: 'date' }).array(),
  bytes: bytea(),
});

const createSample = sql`create table at_commit_sample (
  key text primary key, text text, int integer, big bigint, big_text bigint, num numeric,
  float double precision, flag boolean, at timestamptz, id uuid, doc jsonb, doc_text json,
  tags text[], nums integer[], ids uuid[], priorities ticket_priority[], stamps timestamptz[],
  bytes bytea)`;

const tricky = `it's a "quote", a back\\slash, a comma, {braces}, $1 and 'unicode' ü ✓`;
const values = {
  text: tricky,
  int: -42,
  big: 9_007_199_254_740_991,
  bigText: 1_234_567_890_123n,
  num: '12345.678900',
  float: 0.1,
  flag: false,
  at: new Date('2026-03-04T05:06:07.891Z'),
  id: '0b7d5c3e-9f3a-4c55-8b8e-2d7c1f0a9e11',
  doc: { text: tricky, list: [1, null, 'two', { nested: true }], empty: {} },
  docText: ['an', 'array', 'as', 'JSON', tricky],
  tags: ['one', '', tricky, 'NULL'],
  nums: [3, -1, 0],
  ids: ['0b7d5c3e-9f3a-4c55-8b8e-2d7c1f0a9e11'],
  priorities: ['urgent', 'low'] as ('urgent' | 'low')[],
  stamps: [new Date('2026-03-04T05:06:07.891Z'), new Date(0)],
  bytes: Buffer.from([0, 1, 254, 255]),
};

async function rowOf(db: Db, key: string) {
  const [row] = await db.select().from(sample).where(eq(sample.key, key));
  const { key: _, ...rest } = row!;
  return rest;
}

describe('transactionWritingAtCommit', () => {
  it('writes every column type as the driver would have: text, numbers, JSON, arrays, bytes', async () => {
    await using test = await createTestDatabase();
    await test.db.execute(createSample);
    await test.db.insert(sample).values({ key: 'parameters', ...values });
    await transactionWritingAtCommit(test.db, async (tx, atCommit) => {
      atCommit.write(tx.insert(sample).values({ key: 'inline', ...values }));
    });
    const expected = await rowOf(test.db, 'parameters');
    expect(expected).toEqual(values);
    expect(await rowOf(test.db, 'inline')).toEqual(expected);
  });

  it('writes values placed straight into sql templates: arrays, objects, dates, bytes', async () => {
    await using test = await createTestDatabase();
    await test.db.execute(createSample);
    await test.db.insert(sample).values([{ key: 'parameters' }, { key: 'inline' }]);
    const raw = {
      text: sql`${tricky}`,
      tags: sql`${sql.param(values.tags)}`,
      nums: sql`${sql.param(values.nums)}`,
      priorities: sql`${sql.param(values.priorities)}`,
      doc: sql`${sql.param(values.doc)}`,
      at: sql`${values.at}`,
      bytes: sql`${sql.param(values.bytes)}`,
    };
    await test.db.update(sample).set(raw).where(eq(sample.key, 'parameters'));
    await transactionWritingAtCommit(test.db, async (tx, atCommit) => {
      atCommit.write(tx.update(sample).set(raw).where(eq(sample.key, 'inline')));
    });
    const expected = await rowOf(test.db, 'parameters');
    expect(expected).toMatchObject({ tags: values.tags, doc: values.doc, at: values.at });
    expect(await rowOf(test.db, 'inline')).toEqual(expected);
  });

  it('refuses a value it cannot write, and rolls back the whole transaction', async () => {
    await using test = await createTestDatabase();
    await test.db.execute(createSample);
    const attempt = transactionWritingAtCommit(test.db, async (tx, atCommit) => {
      await tx.insert(sample).values({ key: 'before' });
      atCommit.write(tx.insert(sample).values({ key: 'queued' }));
      atCommit.write(
        tx
          .update(sample)
          .set({ text: sql`${sql.param(() => 'not a value')}` })
          .where(eq(sample.key, 'queued')),
      );
    });
    await expect(attempt).rejects.toThrow('cannot write a function as an SQL literal');
    expect(await test.db.select().from(sample)).toEqual([]);
  });
});

describe('insertText and updateText (the send path, without a query builder)', () => {
  it('write every column type as drizzle sends it as parameters', async () => {
    await using test = await createTestDatabase();
    await test.db.execute(createSample);
    await test.db.insert(sample).values([{ key: 'parameters', ...values }, { key: 'updated' }]);
    await transactionWritingAtCommit(test.db, async (_tx, atCommit) => {
      atCommit.write(
        insertText(sample, [
          { key: 'inserted', ...values },
          { key: 'second', ...values },
        ]),
      );
      atCommit.write(updateText(sample, values, { key: 'key', value: 'updated' }));
    });
    const expected = await rowOf(test.db, 'parameters');
    expect(expected).toEqual(values);
    for (const key of ['inserted', 'second', 'updated']) {
      expect(await rowOf(test.db, key)).toEqual(expected);
    }
  });

  it('writes an expression over the column, and refuses a drizzle sql value', async () => {
    await using test = await createTestDatabase();
    await test.db.execute(createSample);
    await test.db.insert(sample).values({ key: 'row', text: 'a' });
    const append = { sql: (column: string) => `${column} || 'b'` };
    await test.db.execute(
      sql.raw(updateText(sample, { text: append }, { key: 'key', value: 'row' })),
    );
    expect(await rowOf(test.db, 'row')).toMatchObject({ text: 'ab' });
    expect(() => updateText(sample, { text: sql`'c'` }, { key: 'key', value: 'row' })).toThrow(
      'use an Expression',
    );
  });
});
