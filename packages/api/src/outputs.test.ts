import { describe, expect, it } from 'vitest';
import { appRouter } from './root';

type ProcedureDef = { _def: { type: string; output?: unknown } };
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

describe('output schemas', () => {
  it('gives every query and mutation an output schema, so only its fields reach a client', () => {
    const paths = Object.keys(procedures);
    expect(paths.length).toBeGreaterThan(20);
    // A subscription's `.output()` would parse the async iterable it returns, not the
    // events it yields (tRPC 11), so subscriptions are left out here.
    const missing = paths.filter(
      (path) => procedures[path]?._def.type !== 'subscription' && !procedures[path]?._def.output,
    );
    expect(missing).toEqual([]);
  });
});
