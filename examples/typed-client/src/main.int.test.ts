import { createTestUser, testPassword } from '@parley/api/testing';
import { startTestServer } from '@parley/server/testing';
import { describe, expect, it } from 'vitest';
import { run } from './main';

describe('typed client example', () => {
  it('signs in with a token, watches the inbox, opens a ticket, sends a message and lists tickets against a real server', async () => {
    await using server = await startTestServer();
    const user = await createTestUser(server.database.db, 'customer');
    const lines: string[] = [];
    const result = await run({
      url: server.url,
      email: user.email,
      password: testPassword,
      log: (l) => lines.push(l),
    });

    expect(result.user).toEqual({ id: user.id, email: user.email, role: 'customer' });
    expect(result.ticket.status).toBe('open');
    expect(result.message).toEqual({ seq: 1, body: 'The VAT number is DE123456789.' });
    expect(result.inbox).toEqual(['ticket.created', 'message.created']);
    expect(result.total).toBe(1);
    expect(result.tickets).toEqual([
      {
        id: result.ticket.id,
        number: result.ticket.number,
        subject: 'Invoice needed for my last order',
        status: 'open',
        lastMessagePreview: 'The VAT number is DE123456789.',
      },
    ]);
    expect(lines[0]).toContain(user.email);
  });

  it('fails clearly on a wrong password', async () => {
    await using server = await startTestServer();
    const user = await createTestUser(server.database.db, 'customer');
    await expect(
      run({ url: server.url, email: user.email, password: 'not the password' }),
    ).rejects.toThrow('Wrong email or password');
  });
});
