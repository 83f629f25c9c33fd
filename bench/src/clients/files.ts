import { createCipheriv, createHash } from 'node:crypto';
import pg from 'pg';
import { nowMs } from '../harness/clock';

/**
 * Worker side of B8: the same files uploaded and downloaded through Parley
 * (`attachments.upload`, `GET /files/:id/:name`) and, as the floor, written and read
 * with plain `pg` as rows of the same chunk size Parley's PostgreSQL storage uses.
 */

/** Parley's PostgreSQL storage chunk (packages/api/src/files/pg-storage.ts). */
const chunkBytes = 256 * 1024;
/** Chunks per read, as Parley's storage reads them. */
const chunksPerRead = 4;
const floorTable = 'bench_floor_file_chunks';

/**
 * File `index` of a run: `bytes` long, a PDF signature (so Parley stores it as is, no
 * image processing) then pseudo-random bytes from AES-CTR, the same for every caller.
 */
export function benchFile(index: number, bytes: number): Buffer {
  const key = createHash('sha256').update(`parley-bench-file-${index}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const body = cipher.update(Buffer.alloc(bytes));
  Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n', 'latin1').copy(body);
  return body;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Runs `work` for every index, all at once; the wall time in ms. */
async function timed(count: number, work: (index: number) => Promise<void>): Promise<number> {
  const started = nowMs();
  await Promise.all(Array.from({ length: count }, (_, i) => work(i)));
  return nowMs() - started;
}

export const fileHandlers = {
  /**
   * The floor: each file INSERTed as chunk rows over its own connection, all files at
   * once; then read back, `chunksPerRead` chunks per SELECT, all at once.
   */
  async 'files.pgFloor'(args: { databaseUrl: string; files: number; bytes: number }) {
    const clients = await Promise.all(
      Array.from({ length: args.files }, async () => {
        const client = new pg.Client({
          connectionString: args.databaseUrl,
          application_name: 'parley-bench-floor',
        });
        await client.connect();
        return client;
      }),
    );
    try {
      const first = clients[0] as pg.Client;
      await first.query('SET client_min_messages = warning');
      await first.query(
        `CREATE TABLE IF NOT EXISTS ${floorTable} (key text NOT NULL, n integer NOT NULL, data bytea NOT NULL, PRIMARY KEY (key, n))`,
      );
      await first.query(`TRUNCATE ${floorTable}`);
      const files = Array.from({ length: args.files }, (_, i) => benchFile(i, args.bytes));
      const uploadMs = await timed(args.files, async (i) => {
        const client = clients[i] as pg.Client;
        const file = files[i] as Buffer;
        for (let n = 0; n * chunkBytes < file.length; n++) {
          await client.query(`INSERT INTO ${floorTable} (key, n, data) VALUES ($1, $2, $3)`, [
            `f${i}`,
            n,
            file.subarray(n * chunkBytes, (n + 1) * chunkBytes),
          ]);
        }
      });
      let mismatches = 0;
      const downloadMs = await timed(args.files, async (i) => {
        const client = clients[i] as pg.Client;
        const hash = createHash('sha256');
        for (let from = 0; ; from += chunksPerRead) {
          const { rows } = await client.query<{ data: Buffer }>(
            `SELECT data FROM ${floorTable} WHERE key = $1 AND n BETWEEN $2 AND $3 ORDER BY n`,
            [`f${i}`, from, from + chunksPerRead - 1],
          );
          for (const row of rows) hash.update(row.data);
          if (rows.length < chunksPerRead) break;
        }
        if (hash.digest('hex') !== sha256(files[i] as Buffer)) mismatches++;
      });
      await first.query(`DROP TABLE ${floorTable}`);
      return { uploadMs, downloadMs, mismatches };
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  },

  /** Parley: file `i` uploaded by user `tokens[i]` (`attachments.upload`, multipart), all at once. */
  async 'files.upload'(args: { httpUrl: string; tokens: string[]; bytes: number }) {
    const count = args.tokens.length;
    const failures: string[] = [];
    const ids: Array<string | null> = Array.from({ length: count }, () => null);
    const ms = await timed(count, async (i) => {
      const form = new FormData();
      form.append('file', new Blob([benchFile(i, args.bytes)]), `bench-${i}.pdf`);
      const response = await fetch(`${args.httpUrl}/trpc/attachments.upload`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${args.tokens[i]}` },
      });
      const text = await response.text();
      if (response.status !== 200) {
        failures.push(`upload ${i}: ${response.status} ${text.slice(0, 200)}`);
        return;
      }
      ids[i] = (JSON.parse(text) as { result: { data: { id: string } } }).result.data.id;
    });
    return { ms, ids, failures };
  },

  /**
   * Parley: each uploaded file downloaded by its uploader (a pending upload is theirs),
   * all at once, and checked byte for byte by hash.
   */
  async 'files.download'(args: {
    httpUrl: string;
    tokens: string[];
    ids: Array<string | null>;
    bytes: number;
  }) {
    const failures: string[] = [];
    let mismatches = 0;
    const ms = await timed(args.tokens.length, async (i) => {
      if (!args.ids[i]) return;
      const response = await fetch(`${args.httpUrl}/files/${args.ids[i]}/bench-${i}.pdf`, {
        headers: { authorization: `Bearer ${args.tokens[i]}` },
      });
      if (response.status !== 200 || !response.body) {
        failures.push(`download ${i}: ${response.status}`);
        return;
      }
      const hash = createHash('sha256');
      for await (const piece of response.body) hash.update(piece as Uint8Array);
      if (hash.digest('hex') !== sha256(benchFile(i, args.bytes))) mismatches++;
    });
    return { ms, mismatches, failures };
  },
};
