import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  AppError,
  createAuth,
  createUser,
  hashPassword,
  newPassword,
  passwordRule,
} from '@parley/api';
import { closeDb, createDb, getUserByEmail, updateUser, type Db } from '@parley/db';
import { seedDemoData } from '@parley/db/seed';
import { openDatabaseServer, runMigrations } from '@parley/db/server';

type Command = { usage: string; run(db: Db, args: string[]): Promise<void> };

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new Error('no password given: pass --password, or run in a terminal to be asked');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo nothing while the password is typed.
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write('Password: ');
  output._writeToOutput = () => {};
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

const commands: Record<string, Command> = {
  seed: {
    usage:
      'seed --tickets <n> [--messages-per-ticket <n>] [--days <n>] [--password <password>] [--seed <n>]',
    async run(db, args) {
      const { values } = parseArgs({
        args,
        options: {
          tickets: { type: 'string' },
          'messages-per-ticket': { type: 'string' },
          days: { type: 'string' },
          password: { type: 'string' },
          seed: { type: 'string' },
        },
      });
      const count = (name: string, value: string | undefined, fallback?: number) => {
        const parsed = value === undefined ? fallback : Number(value);
        if (parsed === undefined || !Number.isInteger(parsed) || parsed < 1) {
          throw new Error(`--${name} must be a whole number of at least 1`);
        }
        return parsed;
      };
      const password = values.password ?? 'parley-demo';
      if (!newPassword.safeParse(password).success) throw new Error(passwordRule);
      const started = Date.now();
      const result = await seedDemoData(db, {
        tickets: count('tickets', values.tickets),
        messagesPerTicket: count('messages-per-ticket', values['messages-per-ticket'], 10),
        days: count('days', values.days, 90),
        seed: count('seed', values.seed, 42),
        passwordHash: await hashPassword(password),
        log: (line) => console.log(line),
      });
      console.log(
        `seeded ${result.tickets} tickets, ${result.messages} messages, ${result.customers} customers and ` +
          `${result.agents} agents in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
          `sign in with password "${password}" as any of:\n` +
          result.sampleLogins.map((l) => `  ${l.email} (${l.role})`).join('\n'),
      );
    },
  },
  'create-admin': {
    usage: 'create-admin --email <email> --name <name> [--password <password>]',
    async run(db, args) {
      const { values } = parseArgs({
        args,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if (!values.email || !values.name) throw new Error('--email and --name are required');
      const password = values.password ?? (await askPassword());
      const row = await createUser(db, {
        email: values.email,
        name: values.name,
        role: 'admin',
        password,
      }).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
        const email = values.email?.trim().toLowerCase();
        throw new Error(
          `an account with the email ${email} already exists; to make it an admin, run: pnpm parley promote-admin --email ${email}`,
        );
      });
      console.log(`admin ${row.email} created`);
    },
  },
  'promote-admin': {
    usage: 'promote-admin --email <email>',
    /** An existing account (a demoted or disabled colleague) becomes an enabled admin. */
    async run(db, args) {
      const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
      if (!values.email) throw new Error('--email is required');
      const email = values.email.trim().toLowerCase();
      const user = await getUserByEmail(db, { email });
      if (!user) {
        throw new Error(
          `there is no account with the email ${email}; create one with pnpm parley create-admin`,
        );
      }
      // As an admin's role change in the app: every session ends, sockets close at commit.
      const auth = createAuth(db);
      await db.transaction(async (tx) => {
        await updateUser(tx, { id: user.id, changes: { role: 'admin', disabledAt: null } });
        await auth.closeUserSocketsAtCommit(tx, user.id);
      });
      await auth.endUserSessions(user.id);
      console.log(`${user.email} is now an admin`);
    },
  },
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(
      `usage: pnpm parley <command>\n\n${Object.values(commands)
        .map((c) => `  ${c.usage}`)
        .join('\n')}`,
    );
    process.exit(2);
  }
  const database = await openDatabaseServer({ joinRunning: true });
  try {
    await runMigrations(database.url);
    const db = createDb(database.url);
    try {
      await command.run(db, args);
    } finally {
      await closeDb(db);
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
