import { z } from 'zod';

/** The answer of a mutation that has nothing else to say. */
export const okOutput = z.object({ ok: z.literal(true) });
