import type { AppNotice } from '../contract';
import type { EventBus } from '../events/event-bus';
import type { SettingsRecovery } from '../ports/settings-store';

/**
 * Notices about the app itself, held for this run until the user dismisses them. They are not saved: each is
 * about something that happened at this start, and a restart that finds things fine has nothing to say.
 * Every change is sent as `app.notices` with the full list, so a window or browser that joins late asks
 * `app.notices` once and then follows the event.
 */
export class NoticeBoard {
  private notices: AppNotice[] = [];

  constructor(private readonly events: EventBus) {}

  list(): AppNotice[] {
    return [...this.notices];
  }

  post(notice: AppNotice): void {
    this.notices = [...this.notices.filter((n) => n.id !== notice.id), notice];
    this.announce();
  }

  dismiss(id: string): AppNotice[] {
    const before = this.notices.length;
    this.notices = this.notices.filter((n) => n.id !== id);
    if (this.notices.length !== before) this.announce();
    return this.list();
  }

  private announce(): void {
    this.events.emit('app.notices', { notices: this.list() });
  }
}

/** What the user reads when the settings file was damaged: what happened, what it cost, how to get it back. */
export function settingsRecoveredNotice(recovery: SettingsRecovery): AppNotice {
  return {
    id: `settings-recovered-${recovery.at}`,
    kind: 'settings-recovered',
    title: 'Your settings file was damaged',
    message:
      `AutoPrintFarm could not use its settings file because ${recovery.reason}, so it started with default settings: ` +
      `saved printers and preferences are back to how a new install has them. Jobs, history and the print library are untouched. ` +
      `The damaged file was kept as ${recovery.movedTo}; to try it again, quit AutoPrintFarm, repair it and rename it to config.json.`,
    at: recovery.at,
  };
}
