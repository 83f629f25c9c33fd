import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { hashPassword } from '@parley/api';
import { closeDb, createDb, insertUser, openDatabaseServer, runMigrations, type Db } from '@parley/db';

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
