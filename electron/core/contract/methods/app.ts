import { z } from 'zod';
import type { AppInfo, AppNotice, Settings } from '../types';
import { none } from './common';
import { method } from './define';

export const appMethods = {
  'app.info': method<AppInfo>()({ input: none, capability: 'app:read', summary: 'Version and host of the running app.' }),
  'settings.get': method<Settings>()({ input: none, capability: 'app:read', summary: 'The user settings.' }),
  'settings.update': method<Settings>()({
    input: z.object({ theme: z.enum(['system', 'light', 'dark']).optional() }).strict(),
    capability: 'settings:write',
    summary: 'Changes some settings and returns all of them.',
  }),
  'app.notices': method<AppNotice[]>()({ input: none, capability: 'app:read', summary: 'Notices about the app itself the user has not dismissed yet.' }),
  'app.dismissNotice': method<AppNotice[]>()({
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    capability: 'settings:write',
    summary: 'Dismisses a notice for every window and browser; returns the notices left.',
  }),
};
