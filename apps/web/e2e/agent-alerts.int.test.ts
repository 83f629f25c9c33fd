import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startWorld } from './support/world';

type Shown = { title: string; body: string };
declare global {
  interface Window {
    parleyTest: { hidden: boolean; shown: Shown[]; chimes: number; asked: number };
  }
}

/**
 * Stands in for what a headless browser cannot do for real: a background tab (the
 * page's visibility), the desktop-notification permission prompt and the notifications
 * themselves, and the speaker (each chime starts an AudioContext). Parley's code runs
 * unchanged against them.
 */
function browserStandIns() {
  const state = { hidden: false, shown: [] as Shown[], chimes: 0, asked: 0 };
  window.parleyTest = state;
  Object.defineProperty(document, 'visibilityState', {
    get: () => (state.hidden ? 'hidden' : 'visible'),
  });
  let permission: NotificationPermission = 'default';
  class FakeNotification {
    onclick: (() => void) | null = null;
    static get permission() {
      return permission;
    }
    static requestPermission() {
      state.asked += 1;
      permission = 'granted';
      return Promise.resolve(permission);
    }
    constructor(title: string, options: { body?: string } = {}) {
      state.shown.push({ title, body: options.body ?? '' });
    }
    close() {}
  }
  class FakeAudioContext {
    currentTime = 0;
    destination = {};
    constructor() {
      state.chimes += 1;
    }
    createOscillator() {
      return { frequency: {}, connect: (node: unknown) => node, start() {}, stop() {} };
    }
    createGain() {
      return {
        gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} },
        connect: (node: unknown) => node,
      };
    }
    close() {
      return Promise.resolve();
    }
  }
  Object.assign(window, { Notification: FakeNotification, AudioContext: FakeAudioContext });
}

const shown = (page: Page) => page.evaluate(() => window.parleyTest.shown);
const chimes = (page: Page) => page.evaluate(() => window.parleyTest.chimes);
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((value) => (window.parleyTest.hidden = value), hidden);

describe('alerts for an agent whose tab is in the background', () => {
  it(
    'a customer reply on their ticket and an assignment to them alert; others, notes and a visible tab do not',
    { timeout: 120_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const fox = await world.createUser('agent', 'Fox Mulder');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const caraApi = await world.apiAs(cara);
      const foxApi = await world.apiAs(fox);
      const mine = await caraApi.tickets.create.mutate({
        subject: 'Kettle arrived cracked',
        description: 'The lid is broken.',
      });
      const other = await caraApi.tickets.create.mutate({
        subject: 'Change my address',
        description: 'New flat.',
      });
      const send = (ticketId: string, body: string) =>
        caraApi.messages.send.mutate({ ticketId, body, clientId: randomUUID() });

      const agent = await world.pageFor(dana);
      await agent.addInitScript(browserStandIns);
      await agent.goto('/agent/queue');
      await agent.getByTestId('queue-row').first().waitFor();

      // Desktop notifications are asked for on the click that turns them on, never before.
      expect(await agent.evaluate(() => window.parleyTest.asked)).toBe(0);
      await agent.getByRole('button', { name: 'Alerts' }).click();
      const desktop = agent.getByRole('checkbox', { name: 'Desktop notifications' });
      expect(await desktop.isChecked()).toBe(false);
      await desktop.check();
      expect(await agent.evaluate(() => window.parleyTest.asked)).toBe(1);
      expect(await agent.getByRole('checkbox', { name: 'Play a sound' }).isChecked()).toBe(true);
      await agent.keyboard.press('Escape');

      await setHidden(agent, true);
      await foxApi.tickets.update.mutate({ ticketId: mine.id, assigneeId: dana.id });
      await expect.poll(() => shown(agent), { timeout: 15_000 }).toEqual([
        { title: `Assigned to you: #${mine.number}`, body: 'Kettle arrived cracked' },
      ]);

      // Not hers, then an internal note on hers, then the customer on hers: only the last.
      await send(other.id, 'Any news on the address?');
      await foxApi.messages.send.mutate({
        ticketId: mine.id,
        body: 'Note: replacement approved',
        internal: true,
        clientId: randomUUID(),
      });
      await send(mine.id, 'Here is a photo of the lid.');
      await expect.poll(() => shown(agent), { timeout: 15_000 }).toHaveLength(2);
      expect((await shown(agent))[1]).toEqual({
        title: `Cara Mendes replied on #${mine.number}`,
        body: 'Here is a photo of the lid.',
      });
      expect(await chimes(agent)).toBe(2);

      // While she looks at Parley, nothing pops up; back in the background, it does.
      await setHidden(agent, false);
      await send(mine.id, 'Are you there?');
      await agent.getByTestId('queue-row').filter({ hasText: 'Are you there?' }).waitFor();
      await setHidden(agent, true);
      // Sound off: the notification still shows, silently.
      await agent.getByRole('button', { name: 'Alerts' }).click();
      await agent.getByRole('checkbox', { name: 'Play a sound' }).uncheck();
      await send(mine.id, 'Hello again');
      await expect.poll(() => shown(agent), { timeout: 15_000 }).toHaveLength(3);
      expect((await shown(agent))[2]?.body).toBe('Hello again');
      expect(await chimes(agent)).toBe(2);

      // The settings are this browser's: they survive a reload.
      await agent.reload();
      await agent.getByRole('button', { name: 'Alerts' }).click();
      expect(await agent.getByRole('checkbox', { name: 'Play a sound' }).isChecked()).toBe(false);
    },
  );
});
