import { getTableColumns, getTableName, is, SQL, type Column, type Table } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { sqlLiteral } from './sql-literal';

/**
 * Hot-path writes rendered straight to SQL text, values inline (`sqlLiteral`), without a
 * query builder at run time: each table's column names are worked out once, and a value
 * is encoded by its column exactly as drizzle would send it as a parameter
 * (`mapToDriverValue`). Only for writes that travel as one simple-protocol query
 * (`at-commit.ts`); everything else stays parameterised.
 */

type ColumnsOf = Map<string, { name: string; column: Column }>;

const tables = new WeakMap<Table, { name: string; columns: ColumnsOf }>();

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function describeTable(table: Table) {
  let described = tables.get(table);
  if (!described) {
    const columns: ColumnsOf = new Map();
    for (const [key, column] of Object.entries<Column>(getTableColumns(table))) {
      // The schema is declared with `casing: 'snake_case'`: a column named by its key is snake_cased.
      const name = column.keyAsName ? toSnakeCase(column.name) : column.name;
      columns.set(key, { name: quote(name), column });
    }
    described = { name: quote(getTableName(table)), columns };
    tables.set(table, described);
  }
  return described;
}

function columnOf(columns: ColumnsOf, key: string) {
  const found = columns.get(key);
  if (!found) throw new TypeError(`no column for ${key}`);
  return found;
}

function literal(column: Column, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (is(value, SQL))
    throw new TypeError('an sql`…` value cannot be written as text: use an Expression');
  return sqlLiteral(column.mapToDriverValue(value));
}

/** `insert into table (…) values (…), (…)`: the columns of the first row, in its key order. */
export function insertText(table: Table, rows: readonly Record<string, unknown>[]): string {
  const { name, columns } = describeTable(table);
  const [first] = rows;
  if (!first) throw new RangeError('insertText needs at least one row');
  const keys = Object.keys(first).filter((key) => first[key] !== undefined);
  const targets = keys.map((key) => columnOf(columns, key));
  const values = rows.map(
    (row) =>
      `(${targets.map(({ column }, i) => literal(column, row[keys[i] as string])).join(', ')})`,
  );
  return `insert into ${name} (${targets.map((t) => t.name).join(', ')}) values ${values.join(', ')}`;
}

/**
 * `update table set … where key = value`. `set` values are column values, or `{ sql }`
 * for an expression written by the caller (its values already inline).
 */
export function updateText(
  table: Table,
  set: Record<string, unknown>,
  where: { key: string; value: unknown },
): string {
  const { name, columns } = describeTable(table);
  const assignments = Object.entries(set)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const { name: column, column: target } = columnOf(columns, key);
      const text = isExpression(value) ? value.sql(column) : literal(target, value);
      return `${column} = ${text}`;
    });
  if (!assignments.length) throw new RangeError('updateText needs at least one column to set');
  const by = columnOf(columns, where.key);
  return `update ${name} set ${assignments.join(', ')} where ${by.name} = ${literal(by.column, where.value)}`;
}

/** A `set` value computed by SQL from the column (its quoted name): e.g. an append. */
export type Expression = { sql: (column: string) => string };

function isExpression(value: unknown): value is Expression {
  return (
    typeof value === 'object' && value !== null && typeof (value as Expression).sql === 'function'
  );
}
