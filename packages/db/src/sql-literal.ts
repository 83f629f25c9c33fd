import pg from 'pg';

/**
 * A driver value as an SQL literal: the text `pg` would have sent for it as a
 * parameter, quoted. Postgres gives an untyped literal its type from where it stands
 * (a column, a cast), as it does a parameter. Drizzle hands over column values already
 * encoded (timestamps as ISO text, JSON as text, arrays as array literals); values
 * written straight into an `sql` template arrive as they are, so arrays, objects
 * (JSON), dates and bytes are handled here too. Anything else is refused.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) {
    return pg.escapeLiteral(`\\x${bytes(value).toString('hex')}`);
  }
  if (Array.isArray(value)) return pg.escapeLiteral(arrayLiteral(value));
  return pg.escapeLiteral(textOf(value));
}

/** An array as Postgres's array input syntax (`{"a","b",NULL}`), as `pg` writes it. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    if (Buffer.isBuffer(item) || ArrayBuffer.isView(item)) {
      return `"\\\\x${bytes(item).toString('hex')}"`;
    }
    return `"${textOf(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** The text of a scalar or a JSON object. */
function textOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError('cannot write an invalid Date');
        return value.toISOString();
      }
      if (value === null || Array.isArray(value) || ArrayBuffer.isView(value)) break;
      if ('toPostgres' in value) {
        throw new TypeError('cannot write a value with its own toPostgres() inline');
      }
      const json = JSON.stringify(value);
      if (json === undefined) break;
      return json;
    }
  }
  throw new TypeError(`cannot write ${describe(value)} as an SQL literal`);
}

function bytes(view: ArrayBufferView): Buffer {
  return Buffer.isBuffer(view) ? view : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return `a value of type ${typeof value}`;
}

/**
 * A query with its `$n` parameters written inline as literals, for the simple-query
 * protocol (which takes no parameters).
 */
export function inlineParams(query: { sql: string; params: unknown[] }): string {
  return query.sql.replace(/\$(\d+)/g, (placeholder, n: string) => {
    const index = Number(n) - 1;
    if (index >= query.params.length) throw new RangeError(`${placeholder} has no parameter`);
    return sqlLiteral(query.params[index]);
  });
}
