import {
  defaultOnFor,
  isNotificationKind,
  kindHasChannel,
  notificationChannels,
  notificationKindList,
  notificationKinds,
  type NotificationChannel,
  type NotificationKind,
} from '@parley/contract';
import { preferencesOf, type DbOrTx } from '@parley/db';

/** One user's choices, every kind and channel, defaults filled in. */
export type PreferenceTable = Map<string, boolean>;

const slot = (kind: string, channel: string) => `${kind}/${channel}`;

/** Whether `kind` on `channel` is on for each of `userIds` (stored choice, else the default). */
export async function preferenceTables(
  db: DbOrTx,
  userIds: string[],
): Promise<Map<string, PreferenceTable>> {
  const tables = new Map<string, PreferenceTable>();
  for (const id of userIds) tables.set(id, new Map());
  for (const row of await preferencesOf(db, userIds)) {
    tables.get(row.userId)?.set(slot(row.kind, row.channel), row.enabled);
  }
  return tables;
}

export function isOn(
  table: PreferenceTable | undefined,
  kind: NotificationKind,
  channel: NotificationChannel,
): boolean {
  if (!kindHasChannel(kind, channel)) return false;
  return table?.get(slot(kind, channel)) ?? defaultOnFor(kind, channel);
}

/**
 * What `notifications.preferences.get` shows: the kinds for the user's side, by email,
 * and by SMS for the kinds that may go by SMS when `sms` (a verified number, SMS set up).
 */
export function preferenceList(
  table: PreferenceTable | undefined,
  role: 'customer' | 'agent' | 'admin',
  sms = false,
): Array<{ kind: NotificationKind; channel: NotificationChannel; enabled: boolean }> {
  const audience = role === 'customer' ? 'customer' : 'staff';
  return notificationKindList
    .filter((kind) => notificationKinds[kind].audience === audience)
    .flatMap((kind) =>
      notificationChannels
        .filter((channel) => kindHasChannel(kind, channel) && (channel !== 'sms' || sms))
        .map((channel) => ({
          kind,
          channel,
          enabled: isOn(table, kind, channel),
        })),
    );
}

export { isNotificationKind };
