import { z } from 'zod';
import type { AppInfo, Settings } from '../types';
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
};
