import type { EventBus } from '../events/event-bus';
import type { NoticeBoard } from '../notices/notice-board';
import type { HandlersFor } from '../rpc/dispatch';
import type { SettingsService } from '../settings/settings-service';
import type { APP_METHODS } from '../contract/names/app';

export function createAppHandlers(deps: {
  settings: SettingsService;
  events: EventBus;
  notices: NoticeBoard;
  info: { version: string; host: 'desktop' | 'headless'; dataDir: string };
}): HandlersFor<(typeof APP_METHODS)[number]> {
  return {
    'app.info': async () => ({ name: 'AutoPrintFarm', ...deps.info }),
    'settings.get': async () => deps.settings.get(),
    'settings.update': async (patch) => {
      const next = deps.settings.update(patch);
      deps.events.emit('settings.changed', next);
      return next;
    },
    'app.notices': async () => deps.notices.list(),
    'app.dismissNotice': async ({ id }) => deps.notices.dismiss(id),
  };
}
