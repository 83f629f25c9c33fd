import { roles } from '@parley/db';
import { z } from 'zod';
import type { Viewer } from './events';

/** Postgres refuses NOTIFY payloads of 8000 bytes or more; stay well below. */
export const maxSignalBytes = 7000;
const maxEntries = 200;

const id = z.string().max(64);
const name = z.string().max(1000);
const role = z.enum(roles);
const user = z.tuple([id, name, role]);

/**
 * The wire format of a signal, kept short (it crosses the database for every
 * keystroke burst and heartbeat). Users travel as `[id, name, role]` tuples.
 */
export const signalMessage = z.discriminatedUnion('k', [
  /** Typing started (renewed) or stopped. `i`: an internal note, shown to agents only. */
  z.object({ k: z.literal('typing'), h: id, t: id, u: user, on: z.boolean(), i: z.boolean() }),
  /** These users view these tickets through hub `h` (a join, or a heartbeat). */
  z.object({
    k: z.literal('here'),
    h: id,
    v: z.array(z.tuple([id, id, name, role])).max(maxEntries),
  }),
  /** These users stopped viewing these tickets through hub `h`. */
  z.object({ k: z.literal('gone'), h: id, v: z.array(z.tuple([id, id])).max(maxEntries) }),
]);
export type SignalMessage = z.infer<typeof signalMessage>;

export type UserTuple = [id: string, name: string, role: Viewer['role']];
export const toTuple = (u: Viewer): UserTuple => [u.id, u.name, u.role];
export const fromTuple = ([id, name, role]: UserTuple): Viewer => ({ id, name, role });

/** Parses a NOTIFY payload; null for anything malformed (any database user can NOTIFY). */
export function parseSignal(payload: string): SignalMessage | null {
  try {
    const parsed = signalMessage.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Splits presence entries (`here` or `gone`) into messages that each fit in one
 * NOTIFY payload.
 */
export function chunkEntries<K extends 'here' | 'gone'>(
  k: K,
  h: string,
  entries: Array<Extract<SignalMessage, { k: K }>['v'][number]>,
): Array<Extract<SignalMessage, { k: K }>> {
  const messages: Array<Extract<SignalMessage, { k: K }>> = [];
  let chunk: typeof entries = [];
  let bytes = 64;
  const flush = () => {
    if (chunk.length > 0) messages.push({ k, h, v: chunk } as Extract<SignalMessage, { k: K }>);
    chunk = [];
    bytes = 64;
  };
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (bytes + size > maxSignalBytes || chunk.length >= maxEntries) flush();
    chunk.push(entry);
    bytes += size;
  }
  flush();
  return messages;
}
