import type { MaterialConflict, MaterialSyncStatus } from '../../../../electron/core/contract/material-sync-types';

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** "Cloud's edit of 14:02 replaced yours of 13:58: remaining 640 g → 512 g". */
export function conflictSentence(c: MaterialConflict): string {
  const who =
    c.winner === 'cloud'
      ? `Cloud's edit of ${time(c.winnerEditedAt)} replaced yours of ${time(c.loserEditedAt)}`
      : `Your edit of ${time(c.winnerEditedAt)} replaced the cloud's of ${time(c.loserEditedAt)}`;
  const what = c.changes.map((ch) => `${ch.label} ${ch.from} → ${ch.to}`).join(', ');
  return what ? `${who}: ${what}` : who;
}

function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `at ${time(at)}`;
}

/** One line for the strip: "in step, synced 2 min ago · 1 change waiting". */
export function syncSummary(s: MaterialSyncStatus, now: number): string {
  const waiting = s.pending > 0 && s.enabled ? ` · ${s.pending} change${s.pending === 1 ? '' : 's'} waiting to go` : '';
  switch (s.state) {
    case 'off':
      return 'off';
    case 'syncing':
      return `syncing…${waiting}`;
    case 'idle':
      return `${s.lastSyncAt === null ? 'on' : `in step, synced ${ago(s.lastSyncAt, now)}`}${waiting}`;
    case 'offline':
      return `the cloud cannot be reached: changes wait here${s.retryAt ? `, next try at ${time(s.retryAt)}` : ''}${waiting}`;
    case 'rate-limited':
      return `the cloud asked to wait${s.retryAt ? ` until ${time(s.retryAt)}` : ''}${waiting}`;
    case 'error':
      return `failed${s.retryAt ? `, next try at ${time(s.retryAt)}` : ''}${waiting}`;
  }
}
