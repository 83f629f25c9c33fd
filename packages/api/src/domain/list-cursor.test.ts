import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from './list-cursor';

const position = {
  sort: 'priority_desc' as const,
  key: ['urgent', '2026-03-01T12:00:00.123456Z'],
  id: '0b7c1f7e-2f57-4a0e-9d43-2f3f5d1c8a10',
  snapshot: 42,
};

function rejects(cursor: string, sort: Parameters<typeof decodeCursor>[1] = 'priority_desc') {
  let error: unknown;
  try {
    decodeCursor(cursor, sort);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('BAD_REQUEST');
  expect((error as AppError).details.fieldErrors).toEqual({ cursor: ['Invalid cursor'] });
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('list cursor', () => {
  it('round-trips a position, microseconds included', () => {
    expect(decodeCursor(encodeCursor(position), 'priority_desc')).toEqual(position);
  });

  it('refuses a cursor made for another sort', () => {
    rejects(encodeCursor(position), 'updated_desc');
  });

  it('refuses garbage, tampered keys and impossible dates', () => {
    rejects('not base64 json');
    rejects(encode({ s: 'priority_desc', k: ['urgent'], i: position.id, e: 1 }));
    rejects(encode({ s: 'priority_desc', k: ['critical', position.key[1]], i: position.id, e: 1 }));
    rejects(
      encode({ s: 'updated_desc', k: ["2026-01-01'; drop table tickets"], i: position.id, e: 1 }),
      'updated_desc',
    );
    rejects(
      encode({ s: 'updated_desc', k: ['2026-02-30T00:00:00.000000Z'], i: position.id, e: 1 }),
      'updated_desc',
    );
    rejects(
      encode({ s: 'updated_desc', k: ['2026-02-01T24:00:00.000000Z'], i: position.id, e: 1 }),
      'updated_desc',
    );
    rejects(
      encode({ ...{ s: 'updated_desc', k: ['2026-02-01T00:00:00.000000Z'], i: 'nope', e: 1 } }),
      'updated_desc',
    );
    rejects(
      encode({ s: 'updated_desc', k: ['2026-02-01T00:00:00.000000Z'], i: position.id, e: -1 }),
      'updated_desc',
    );
    rejects(
      encode({ s: 'updated_desc', k: ['2026-02-01T00:00:00.000000Z'], i: position.id, e: 1, x: 1 }),
      'updated_desc',
    );
  });
});
