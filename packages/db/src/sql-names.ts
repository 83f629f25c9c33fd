import { sql, type Column, type Name } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';

// The schema's keys are camelCase; the database's columns are snake_case, as the
// drizzle handle (`casing: 'snake_case'`) writes them.
const casing = new CasingCache('snake_case');

/** A column's name in the database, for hand-written SQL that names it unqualified. */
export function columnName(column: Column): string {
  return casing.getColumnCasing(column);
}

/** A column's name in the database as a quoted identifier (`"customer_id"`), unqualified. */
export function columnIdentifier(column: Column): Name {
  return sql.identifier(columnName(column));
}
