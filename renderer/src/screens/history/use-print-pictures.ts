import { useEffect, useState } from 'react';
import type { SnapshotView } from '../../../../electron/core/contract';
import { useApp } from '../../store/context';

/**
 * The pictures of the history entries on screen, by entry id: asked for once per list, then kept up to date by
 * `snapshots.added` (the end picture and the time-lapse arrive a moment after the entry itself).
 */
export function usePrintPictures(historyIds: readonly number[]): ReadonlyMap<number, SnapshotView[]> {
  const { api } = useApp();
  const [byEntry, setByEntry] = useState<ReadonlyMap<number, SnapshotView[]>>(new Map());
  const key = historyIds.join(',');

  useEffect(() => {
    if (historyIds.length === 0) return;
    let live = true;
    api.call('snapshots.list', { historyIds: [...historyIds] }).then(
      (list) => live && setByEntry(group(list)),
      // Pictures are extra: a history without them still shows; the row simply has none.
      () => undefined,
    );
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the ids
  }, [api, key]);

  useEffect(
    () =>
      api.on('snapshots.added', ({ snapshots }) =>
        setByEntry((prev) => {
          const next = new Map(prev);
          for (const s of snapshots) {
            if (s.historyId === null) continue;
            // A time-lapse video replaces its frames (they are deleted once it is made).
            const kept = (next.get(s.historyId) ?? []).filter((k) => k.id !== s.id && !(s.kind === 'timelapse-video' && k.kind === 'timelapse-frame'));
            next.set(
              s.historyId,
              [...kept, s].sort((a, b) => a.takenAt - b.takenAt || a.id - b.id),
            );
          }
          return next;
        }),
      ),
    [api],
  );
  return byEntry;
}

function group(list: readonly SnapshotView[]): Map<number, SnapshotView[]> {
  const m = new Map<number, SnapshotView[]>();
  for (const s of list) if (s.historyId !== null) m.set(s.historyId, [...(m.get(s.historyId) ?? []), s]);
  return m;
}
