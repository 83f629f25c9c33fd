import { describe, expect, it } from 'vitest';
import { inlineParams, sqlLiteral } from './sql-literal';

describe('sqlLiteral', () => {
  it('writes scalars as quoted text, null as null', () => {
    expect(sqlLiteral(null)).toBe('null');
    expect(sqlLiteral(undefined)).toBe('null');
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('C:\\dir')).toBe(" E'C:\\\\dir'");
    expect(sqlLiteral(42)).toBe("'42'");
    expect(sqlLiteral(-1.5)).toBe("'-1.5'");
    expect(sqlLiteral(9007199254740993n)).toBe("'9007199254740993'");
    expect(sqlLiteral(true)).toBe("'true'");
    expect(sqlLiteral(new Date('2026-01-02T03:04:05.678Z'))).toBe("'2026-01-02T03:04:05.678Z'");
  });

  it('writes arrays in array syntax, elements quoted and escaped, nested and with nulls', () => {
    expect(sqlLiteral([])).toBe("'{}'");
    expect(sqlLiteral(['a', null, 'b "c"', 'd\\e', "it's"])).toBe(
      ` E'{"a",NULL,"b \\\\"c\\\\"","d\\\\\\\\e","it''s"}'`,
    );
    expect(sqlLiteral([1, 2, undefined])).toBe(`'{"1","2",NULL}'`);
    expect(
      sqlLiteral([
        [1, 2],
        [3, 4],
      ]),
    ).toBe(`'{{"1","2"},{"3","4"}}'`);
    expect(sqlLiteral([{ a: 1 }])).toBe(` E'{"{\\\\"a\\\\":1}"}'`);
  });

  it('writes objects as JSON and bytes as bytea hex', () => {
    expect(sqlLiteral({ a: "it's", b: [1, null] })).toBe(`'{"a":"it''s","b":[1,null]}'`);
    expect(sqlLiteral(Buffer.from([0, 255]))).toBe(" E'\\\\x00ff'");
    expect(sqlLiteral(new Uint8Array([1, 2]))).toBe(" E'\\\\x0102'");
  });

  it('refuses what it cannot write, loudly', () => {
    expect(() => sqlLiteral(() => 1)).toThrow('cannot write a function as an SQL literal');
    expect(() => sqlLiteral(Symbol('s'))).toThrow('cannot write a symbol as an SQL literal');
    expect(() => sqlLiteral([() => 1])).toThrow('cannot write a function');
    expect(() => sqlLiteral(new Date(Number.NaN))).toThrow('cannot write an invalid Date');
    expect(() => sqlLiteral({ toPostgres: () => 'x' })).toThrow('toPostgres');
    expect(() => sqlLiteral({ n: 1n })).toThrow(TypeError);
  });
});

describe('inlineParams', () => {
  it('replaces each $n with its parameter, $10 included', () => {
    const params = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(inlineParams({ sql: 'select $1, $10, $2', params })).toBe("select '1', '10', '2'");
  });

  it('refuses a placeholder without a parameter', () => {
    expect(() => inlineParams({ sql: 'select $2', params: [1] })).toThrow('$2 has no parameter');
  });
});
