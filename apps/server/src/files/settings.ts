import {
  defaultUploadSettings,
  directoryFileStorage,
  pgFileStorage,
  type FileStorage,
  type UploadSettings,
} from '@parley/api';
import type { Db } from '@parley/db';

export type FileOptions = {
  /** Largest upload in bytes (env `PARLEY_MAX_UPLOAD_MB`, default 25 MB). */
  maxBytes?: number;
  /** Pending uploads are deleted after this (env `PARLEY_UPLOAD_TTL_HOURS`, default 24 h). */
  pendingTtlSeconds?: number;
  /** Keep files in this directory (env `PARLEY_FILES_DIR`) instead of PostgreSQL. */
  dir?: string;
  /** How often the sweep of expired uploads runs (default hourly). */
  sweepIntervalSeconds?: number;
};

export type FileSettings = UploadSettings & { dir: string | null; sweepIntervalSeconds: number };

/** Settings from the environment, for what `ServerOptions.files` leaves unset. */
export function fileSettings(
  options: FileOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): FileSettings {
  const positive = (value: string | undefined, name: string): number | undefined => {
    if (value === undefined || value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`${name} must be a positive number, not "${value}"`);
    return parsed;
  };
  const mb = positive(env.PARLEY_MAX_UPLOAD_MB, 'PARLEY_MAX_UPLOAD_MB');
  const hours = positive(env.PARLEY_UPLOAD_TTL_HOURS, 'PARLEY_UPLOAD_TTL_HOURS');
  return {
    maxBytes:
      options.maxBytes ??
      (mb !== undefined ? Math.round(mb * 1024 * 1024) : defaultUploadSettings.maxBytes),
    pendingTtlSeconds:
      options.pendingTtlSeconds ??
      (hours !== undefined ? hours * 3600 : defaultUploadSettings.pendingTtlSeconds),
    dir: options.dir ?? (env.PARLEY_FILES_DIR || null),
    sweepIntervalSeconds: options.sweepIntervalSeconds ?? 3600,
  };
}

/** PostgreSQL unless a directory is set. */
export function fileStorage(db: Db, settings: FileSettings): FileStorage {
  return settings.dir ? directoryFileStorage(settings.dir) : pgFileStorage(db);
}
