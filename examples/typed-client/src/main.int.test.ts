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

  it('works with the demo admin by opening the ticket for the customer it names', async () => {
    await using server = await startTestServer();
    const admin = await createTestUser(server.database.db, 'admin');
    const customer = await createTestUser(server.database.db, 'customer');
    const result = await run({
      url: server.url,
      email: admin.email,
      password: testPassword,
      customerEmail: customer.email.toUpperCase(),
    });
    expect(result.user.role).toBe('admin');
    expect(result.ticket.status).toBe('open');
    expect(result.inbox).toEqual(['ticket.created', 'message.created']);
    expect(result.tickets.map((t) => t.id)).toContain(result.ticket.id);
    expect(result.customer).toEqual({ id: customer.id, email: customer.email });
  });

  it('tells a staff account without a customer which account it needs', async () => {
    await using server = await startTestServer();
    const admin = await createTestUser(server.database.db, 'admin');
    await expect(
      run({ url: server.url, email: admin.email, password: testPassword }),
    ).rejects.toThrow('PARLEY_CUSTOMER_EMAIL');
    await expect(
      run({
        url: server.url,
        email: admin.email,
        password: testPassword,
        customerEmail: 'nobody@example.com',
      }),
    ).rejects.toThrow('No customer with the email nobody@example.com');
  });

  it('fails clearly on a wrong password', async () => {
    await using server = await startTestServer();
    const user = await createTestUser(server.database.db, 'customer');
    await expect(
      run({ url: server.url, email: user.email, password: 'not the password' }),
    ).rejects.toThrow('Wrong email or password');
  });
});
