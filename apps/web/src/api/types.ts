import type { User } from '@parley/api';

export type { User };
export type Role = User['role'];
