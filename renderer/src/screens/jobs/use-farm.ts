import { useEffect, useRef, useState } from 'react';
import type { FarmProfile, FarmSettings, JobView, LibraryFileView } from '../../../../electron/core/contract/jobs-types';
import { useApp, useAppState } from '../../store/context';
import { applyJobChanges, jobMap, type JobMap } from './job-list-state';

/** Events are applied together at most this often: enqueueing or dispatching hundreds of jobs costs one render. */
const APPLY_EVERY_MS = 100;

/**
 * The queue, loaded once per connection and then kept current from `jobs.updated` events, which carry every
 * changed job in full: with 10 000 queued jobs, loading the whole list on each change would be slow. Events
 * that arrive while the list loads are applied after it (their versions say which copy is newer).
 */
export function useJobs(): { jobs: JobMap; loaded: boolean } {
  const { api, actions } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [jobs, setJobs] = useState<JobMap>(() => new Map());
  const [loaded, setLoaded] = useState(false);
  const pending = useRef<JobView[]>([]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    let listLoaded = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      if (!listLoaded || !pending.current.length) return;
      const changed = pending.current;
      pending.current = [];
      setJobs((current) => applyJobChanges(current, changed));
    };
    const off = api.on('jobs.updated', ({ jobs: changed }) => {
      for (const job of changed) pending.current.push(job);
      timer ??= setTimeout(flush, APPLY_EVERY_MS);
    });
    void actions.attempt(async () => {
      const list = await api.call('jobs.list', { finishedLimit: 50 });
      if (!live) return;
      listLoaded = true;
      setJobs(jobMap(list));
      setLoaded(true);
      flush();
    });
    return () => {
      live = false;
      off();
      if (timer) clearTimeout(timer);
      pending.current = [];
    };
  }, [api, connected, actions]);
  return { jobs, loaded };
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
  }, [api, connected, printerCount, actions]);
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
  }, [api, connected, actions]);
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
  }, [api, connected, actions]);
  return files;
}
