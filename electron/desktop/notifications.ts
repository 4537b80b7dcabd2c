import type { Notification, NotificationConstructorOptions } from 'electron';
import type { EventName, EventPayloads } from '../core/contract';
import { PrintNotifications } from '../core/native-shell/print-notifications';

type NotificationLike = Pick<Notification, 'on' | 'show'>;

/**
 * OS notifications for what happens on the farm while nobody looks at the window (what and when is decided
 * by core/native-shell/print-notifications.ts). Clicking one opens that printer's page.
 */
export function notifyFarmEvents(deps: {
  isSupported(): boolean;
  create(options: NotificationConstructorOptions): NotificationLike;
  subscribe(listener: <E extends EventName>(name: E, payload: EventPayloads[E]) => void): () => void;
  openPrinter(printerId: string): void;
  now?: () => number;
}): () => void {
  if (!deps.isSupported()) return () => undefined;
  const decide = new PrintNotifications(deps.now);
  // Held until closed: a notification object that is garbage-collected loses its click handler.
  const shown = new Set<NotificationLike>();
  return deps.subscribe((name, payload) => {
    const note = decide.next(name, payload);
    if (!note) return;
    const n = deps.create({ title: note.title, body: note.body });
    shown.add(n);
    n.on('click', () => deps.openPrinter(note.printerId));
    n.on('close', () => shown.delete(n));
    n.show();
  });
}
