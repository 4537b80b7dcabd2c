import { useEffect, useRef, useState } from 'react';
import type { FarmProfile, FarmSettings, JobView, LibraryFileView } from '../../../../electron/core/contract/jobs-types';
import { useApp, useAppState } from '../../store/context';

/**
 * The queue as the core orders it. Any job event refetches the list (coalesced), because the order depends
 * on priorities and drag positions only the core holds.
 */
export function useJobs(): { jobs: JobView[]; loaded: boolean; reload(): void } {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reload = useRef(() => {});
  reload.current = () => {
    void actions.attempt(async () => {
      setJobs(await api.call('jobs.list', { finishedLimit: 50 }));
      setLoaded(true);
    });
  };
  useEffect(() => {
    if (!connected) return;
    reload.current();
    const off = api.on('jobs.updated', () => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        reload.current();
      }, 100);
    });
    return () => {
      off();
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [api, connected]);
  return { jobs, loaded, reload: () => reload.current() };
}

export function upsertProfile(list: FarmProfile[], p: FarmProfile): FarmProfile[] {
  const at = list.findIndex((x) => x.printerId === p.printerId);
  if (at < 0) return [...list, p];
  const next = [...list];
  next[at] = p;
  return next;
}

/** Farm profiles of every printer (bed state included), kept current by `farm.profile` events. */
export function useProfiles(): FarmProfile[] {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const printerCount = useAppState((s) => s.order.length);
  const [profiles, setProfiles] = useState<FarmProfile[]>([]);
  useEffect(() => {
    if (!connected) return;
    void actions.attempt(async () => setProfiles(await api.call('jobs.profiles')));
    return api.on('farm.profile', ({ profile }) => setProfiles((list) => upsertProfile(list, profile)));
  }, [api, connected, printerCount]);
  return profiles;
}

export function useFarmSettings(): FarmSettings | null {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [settings, setSettings] = useState<FarmSettings | null>(null);
  useEffect(() => {
    if (!connected) return;
    void actions.attempt(async () => setSettings(await api.call('jobs.getSettings')));
    return api.on('farm.settings', setSettings);
  }, [api, connected]);
  return settings;
}

export function upsertFile(list: LibraryFileView[], f: LibraryFileView): LibraryFileView[] {
  const at = list.findIndex((x) => x.sha256 === f.sha256);
  if (at < 0) return [f, ...list];
  const next = [...list];
  next[at] = f;
  return next;
}

/** The library, kept current by events (analysis progress included). */
export function useLibrary(): LibraryFileView[] {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [files, setFiles] = useState<LibraryFileView[]>([]);
  useEffect(() => {
    if (!connected) return;
    void actions.attempt(async () => setFiles(await api.call('library.list')));
    const offs = [
      api.on('library.updated', ({ file }) => setFiles((list) => upsertFile(list, file))),
      api.on('library.removed', ({ sha256 }) => setFiles((list) => list.filter((f) => f.sha256 !== sha256))),
      api.on('library.failed', ({ message }) => actions.toast('error', message)),
    ];
    return () => offs.forEach((off) => off());
  }, [api, connected]);
  return files;
}
