import { createAuth, hashPassword } from '@parley/api';
import { closeDb, createDb, users, type Db, type Role } from '@parley/db';
import { HttpCaller } from '../clients/http-caller';
import { mapLimit } from '../clients/pool';

export type BenchUser = { id: string; role: Role; token: string };

let passwordHash: Promise<string> | undefined;

/**
 * Users and sessions written straight into the database (one argon2 hash shared by
 * all, sessions through Parley's own auth module): signing in thousands of users
 * through the public procedure would measure its rate limits and argon2, not realtime.
 */
export class Fixtures {
  readonly db: Db;
  private readonly auth;

  constructor(databaseUrl: string) {
    this.db = createDb(databaseUrl, { max: 16, applicationName: 'parley-bench-fixtures' });
    this.auth = createAuth(this.db);
  }

  /** `count` users of `role`, each with `sessionsEach` sessions (one token per socket). */
  async users(
    role: Role,
    count: number,
    prefix: string,
  ): Promise<Array<{ id: string; role: Role }>> {
    passwordHash ??= hashPassword('bench-password-not-secret');
    const hash = await passwordHash;
    const out: Array<{ id: string; role: Role }> = [];
    for (let start = 0; start < count; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
        email: `${prefix}-${start + i}@bench.parley.test`,
        name: `${role === 'customer' ? 'Customer' : 'Agent'} ${prefix} ${start + i}`,
        role,
        passwordHash: hash,
      }));
      const inserted = await this.db.insert(users).values(rows).returning({ id: users.id });
      out.push(...inserted.map((r) => ({ id: r.id, role })));
    }
    return out;
  }

  /** One session per entry of `userIds` (repeat an id for several sockets of one user). */
  async sessions(userIds: readonly string[]): Promise<string[]> {
    return mapLimit(userIds, 12, async (id) => (await this.auth.createSession(id)).token);
  }

  async signedIn(role: Role, count: number, prefix: string): Promise<BenchUser[]> {
    const created = await this.users(role, count, prefix);
    const tokens = await this.sessions(created.map((u) => u.id));
    return created.map((u, i) => ({ ...u, token: tokens[i] as string }));
  }

  /** One ticket per customer, created through the public `tickets.create`. */
  async tickets(httpUrl: string, customers: readonly BenchUser[]): Promise<string[]> {
    const http = new HttpCaller(httpUrl, 16);
    try {
      return await mapLimit(customers, 12, async (customer, i) => {
        const result = await http.mutation<{ id: string }>(
          'tickets.create',
          {
            subject: `Bench ticket ${i}`,
            description: 'Created by the benchmark harness.',
            category: 'order',
          },
          customer.token,
        );
        if (!result.ok) throw new Error(`tickets.create failed: ${result.status} ${result.error}`);
        return result.data.id;
      });
    } finally {
      http.close();
    }
  }

  async close(): Promise<void> {
    await closeDb(this.db);
  }
}
