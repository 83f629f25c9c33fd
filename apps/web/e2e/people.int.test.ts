import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { startWorld } from './support/world';

describe('the People page', () => {
  it(
    'lists everyone, filters and searches, and changes roles both ways with confirmation',
    { timeout: 120_000 },
    async () => {
      await using world = await startWorld();
      const sam = await world.createUser('admin', 'Sam Carter');
      await world.createUser('agent', 'Dana Scully');
      await world.createUser('customer', 'Cara Mendes');
      await world.createUser('customer', 'Omar Haddad');
      const admin = await world.pageFor(sam);
      const api = await world.apiAs(sam);
      const roleOf = async (name: string) => {
        const user = (await api.users.list.query({ q: name })).find((u) => u.name === name);
        return user && { role: user.role, disabled: 'disabled' in user && user.disabled };
      };

      await admin.getByRole('link', { name: 'People' }).click();
      await admin.getByRole('heading', { name: 'People' }).waitFor();
      const rows = admin.getByTestId('person-row');
      const row = (name: string) => rows.filter({ hasText: name });
      await row('Omar Haddad').waitFor();
      expect(await rows.count()).toBe(4);

      // Filter by role (kept in the address), then search.
      await admin.getByLabel('Show').selectOption('customer');
      await admin.waitForURL((url) => url.searchParams.get('role') === 'customer');
      await row('Dana Scully').waitFor({ state: 'detached' });
      expect(await rows.count()).toBe(2);
      await admin.getByLabel('Search people').fill('omar');
      await row('Cara Mendes').waitFor({ state: 'detached' });
      expect(await rows.count()).toBe(1);
      await admin.getByLabel('Search people').fill('');
      await admin.getByLabel('Show').selectOption('');
      await row('Dana Scully').waitFor();

      // Demoting asks first; cancelling changes nothing.
      await admin.getByLabel('Role of Dana Scully').selectOption('customer');
      const confirm = admin.getByRole('dialog', { name: 'Make Dana Scully a customer?' });
      await confirm.waitFor();
      expect(await seriousA11yFindings(admin)).toEqual([]);
      await screenshot(admin, 'people-confirm');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });
      expect(await admin.getByLabel('Role of Dana Scully').inputValue()).toBe('agent');
      expect((await roleOf('Dana Scully'))?.role).toBe('agent');

      await admin.getByLabel('Role of Dana Scully').selectOption('customer');
      await confirm.getByRole('button', { name: 'Make customer' }).click();
      await confirm.waitFor({ state: 'hidden' });
      // Still listed: the change can be undone from here.
      await admin
        .getByLabel('Role of Dana Scully')
        .and(admin.locator('select:not([disabled])'))
        .waitFor();
      expect((await roleOf('Dana Scully'))?.role).toBe('customer');
      await admin.getByLabel('Role of Dana Scully').selectOption('agent');
      await admin.getByText('Dana Scully is now an agent.').waitFor();
      expect((await roleOf('Dana Scully'))?.role).toBe('agent');

      // Disabling asks first; enabling does not.
      await row('Omar Haddad').getByRole('button', { name: 'Disable' }).click();
      const disable = admin.getByRole('dialog', { name: 'Disable Omar Haddad?' });
      await disable.getByRole('button', { name: 'Disable account' }).click();
      await row('Omar Haddad').getByText('Disabled', { exact: true }).waitFor();
      expect((await roleOf('Omar Haddad'))?.disabled).toBe(true);
      await row('Omar Haddad').getByRole('button', { name: 'Enable' }).click();
      await row('Omar Haddad').getByText('Active', { exact: true }).waitFor();
      expect((await roleOf('Omar Haddad'))?.disabled).toBe(false);

      // The old Team address lands on the same page, showing the team.
      await admin.goto('/admin/team');
      await admin.getByRole('heading', { name: 'People' }).waitFor();
      await row('Cara Mendes').waitFor({ state: 'detached' });
      await row('Dana Scully').waitFor();
      expect(await seriousA11yFindings(admin)).toEqual([]);
    },
  );
});
