import { useState } from 'react';
import type { SnapshotView } from '../../../../electron/core/contract';
import { Modal } from '../../components/Modal';

const LABEL: Record<'first-layer' | 'end' | 'failure', string> = { 'first-layer': 'First layer', end: 'End', failure: 'Failure' };

type Shown = { kind: 'picture'; snapshot: SnapshotView } | { kind: 'timelapse' };

/** A history row's pictures: small ones for the first layer and the end (or failure), and its time-lapse. */
export function PrintPictures({ pictures, fileName }: { pictures: readonly SnapshotView[]; fileName: string }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const stills = pictures.filter((p): p is SnapshotView & { kind: keyof typeof LABEL } => p.kind in LABEL);
  const video = pictures.find((p) => p.kind === 'timelapse-video') ?? null;
  const frames = pictures.filter((p) => p.kind === 'timelapse-frame');
  if (stills.length === 0 && !video && frames.length === 0) return <span className="muted">—</span>;
  return (
    <div className="print-pictures" data-testid="print-pictures">
      {stills.map((s) => (
        <button
          key={s.id}
          type="button"
          className="picture-thumb"
          onClick={() => setShown({ kind: 'picture', snapshot: s })}
          title={`${LABEL[s.kind]}: ${new Date(s.takenAt).toLocaleString()}`}
        >
          <img src={s.path} alt={`${LABEL[s.kind]} of ${fileName}`} loading="lazy" data-testid={`picture-${s.kind}`} data-kind={s.kind} />
          <span className={s.kind === 'failure' ? 'picture-label picture-failure' : 'picture-label'}>{LABEL[s.kind]}</span>
        </button>
      ))}
      {video || frames.length > 0 ? (
        <button type="button" className="btn btn-small" onClick={() => setShown({ kind: 'timelapse' })} data-testid="open-timelapse">
          ▶ Time-lapse{video ? '' : ` (${frames.length} frames)`}
        </button>
      ) : null}
      {shown?.kind === 'picture' && (
        <Modal title={`${LABEL[shown.snapshot.kind as keyof typeof LABEL]} · ${fileName}`} onClose={() => setShown(null)} testId="picture-dialog" wide>
          <img className="picture-large" src={shown.snapshot.path} alt={`${LABEL[shown.snapshot.kind as keyof typeof LABEL]} of ${fileName}`} />
          <p className="muted">
            {new Date(shown.snapshot.takenAt).toLocaleString()}
            {shown.snapshot.layer !== null ? ` · layer ${shown.snapshot.layer}` : ''}
          </p>
        </Modal>
      )}
      {shown?.kind === 'timelapse' && (
        <Modal title={`Time-lapse · ${fileName}`} onClose={() => setShown(null)} testId="timelapse-dialog" wide>
          {video ? (
            <video className="picture-large" src={video.path} controls autoPlay loop muted data-testid="timelapse-video" />
          ) : (
            <FrameStrip frames={frames} fileName={fileName} />
          )}
        </Modal>
      )}
    </div>
  );
}

/** Where no video could be made (no ffmpeg on the host): the frames one by one, with a slider. */
function FrameStrip({ frames, fileName }: { frames: readonly SnapshotView[]; fileName: string }) {
  const [at, setAt] = useState(frames.length - 1);
  const frame = frames[Math.min(at, frames.length - 1)];
  if (!frame) return null;
  return (
    <div data-testid="timelapse-strip">
      <img className="picture-large" src={frame.path} alt={`Frame ${at + 1} of the time-lapse of ${fileName}`} />
      <label className="row">
        <span>
          Frame {at + 1} of {frames.length}
          {frame.layer !== null ? ` · layer ${frame.layer}` : ''}
        </span>
        <input type="range" min={0} max={frames.length - 1} value={at} onChange={(e) => setAt(Number(e.target.value))} aria-label="Frame" />
      </label>
    </div>
  );
}
