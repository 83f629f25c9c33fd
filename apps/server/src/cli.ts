import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { hashPassword } from '@parley/api';
import {
  closeDb,
  createDb,
  insertUser,
  openDatabaseServer,
  runMigrations,
  seedDemoData,
  type Db,
} from '@parley/db';

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
      if (password.length < 8 || password.length > 256) {
        throw new Error('the password must be 8 to 256 characters');
      }
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
        options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
      });
      if (!values.email || !values.name) throw new Error('--email and --name are required');
      const password = values.password ?? (await askPassword());
      if (password.length < 8 || password.length > 256) {
        throw new Error('the password must be 8 to 256 characters');
      }
      const row = await insertUser(db, {
        email: values.email.trim().toLowerCase(),
        name: values.name.trim(),
        role: 'admin',
        passwordHash: await hashPassword(password),
      });
      if (!row) throw new Error(`an account with the email ${values.email} already exists`);
      console.log(`admin ${row.email} created`);
    },
  },
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(`usage: pnpm parley <command>\n\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}`);
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
