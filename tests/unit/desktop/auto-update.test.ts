import { describe, expect, it, vi } from 'vitest';
import { startAutoUpdates, updateQuestion, type UpdaterPort } from '../../../electron/desktop/auto-update';

/** electron-updater's autoUpdater as a fake: the test emits its events and sees what the app called. */
function fakeUpdater() {
  const listeners = new Map<string, (arg: never) => void>();
  const u = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checks: 0,
    installs: [] as Array<[boolean | undefined, boolean | undefined]>,
    on: (event: string, fn: (arg: never) => void) => void listeners.set(event, fn),
    checkForUpdates: async () => void u.checks++,
    quitAndInstall: (silent?: boolean, runAfter?: boolean) => void u.installs.push([silent, runAfter]),
    emit: (event: string, arg: unknown) => listeners.get(event)!(arg as never),
  };
  return u;
}

function setup(answer: number) {
  const updater = fakeUpdater();
  const printing = { now: false };
  let activity: (() => void) | null = null;
  const questions: string[] = [];
  const lines: string[] = [];
  const stop = startAutoUpdates({
    packaged: true,
    updater: () => updater,
    dialog: { showMessageBox: (async (o: { message: string }) => (questions.push(o.message), { response: answer, checkboxChecked: false })) as never },
    usbPrintStreaming: () => printing.now,
    onPrintActivity: (l) => ((activity = l), () => (activity = null)),
    log: (l) => void lines.push(l),
  });
  const printsChanged = (now: boolean) => {
    printing.now = now;
    activity?.();
  };
  return { updater, printing, printsChanged, questions, lines, stop: stop!, hasActivityListener: () => activity !== null };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('auto-update in the desktop', () => {
  it('is off in development: electron-updater is never even constructed', () => {
    const make = vi.fn(() => fakeUpdater() as UpdaterPort);
    const stop = startAutoUpdates({ packaged: false, updater: make, dialog: { showMessageBox: vi.fn() }, usbPrintStreaming: () => false, onPrintActivity: vi.fn(), log: vi.fn() });
    expect(stop).toBeNull();
    expect(make).not.toHaveBeenCalled();
  });

  it('checks when packaged, downloads in the background and installs a put-off update at quit', () => {
    const t = setup(1);
    expect(t.updater.checks).toBe(1);
    expect(t.updater.autoDownload).toBe(true);
    expect(t.updater.autoInstallOnAppQuit).toBe(true);
    t.stop();
    expect(t.hasActivityListener()).toBe(false);
  });

  it('asks, and restarts into the update when the user says so', async () => {
    const t = setup(0);
    t.updater.emit('update-downloaded', { version: '1.2.0' });
    await settle();
    expect(t.questions).toEqual(['AutoPrintFarm 1.2.0 is ready to install.']);
    expect(t.updater.installs).toEqual([[false, true]]);
    t.stop();
  });

  it('does not restart when the user says later', async () => {
    const t = setup(1);
    t.updater.emit('update-downloaded', { version: '1.2.0' });
    await settle();
    expect(t.questions).toHaveLength(1);
    expect(t.updater.installs).toEqual([]);
    t.stop();
  });

  it('waits for a USB print to end before asking', async () => {
    const t = setup(0);
    t.printsChanged(true);
    t.updater.emit('update-downloaded', { version: '1.2.0' });
    t.printsChanged(true);
    await settle();
    expect(t.questions).toEqual([]);
    t.printsChanged(false);
    await settle();
    expect(t.questions).toHaveLength(1);
    expect(t.updater.installs).toEqual([[false, true]]);
    t.stop();
  });

  it('logs a failed check instead of bothering the user', async () => {
    const t = setup(0);
    t.updater.emit('error', new Error('net::ERR_NAME_NOT_RESOLVED'));
    expect(t.lines).toEqual(['Update check failed: net::ERR_NAME_NOT_RESOLVED']);
    expect(t.questions).toEqual([]);
    t.stop();
  });

  it('offers Restart now by default and Later as the cancel answer', () => {
    const q = updateQuestion('1.2.0');
    expect(q.buttons?.[q.defaultId!]).toBe('Restart now');
    expect(q.buttons?.[q.cancelId!]).toBe('Later');
  });
});
