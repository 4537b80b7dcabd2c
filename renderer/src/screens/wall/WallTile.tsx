import { memo } from 'react';
import type { CameraView } from '../../../../electron/core/contract';
import { CameraImage } from '../cameras/CameraImage';
import { formatDuration } from '../../components/format';
import type { Attention } from './attention';
import type { WallFace } from './wall-face';

/** "done 14:35" (or with the day when it ends tomorrow or later): when to come back for it. */
function finishTime(now: number, remainingSeconds: number): string {
  const at = new Date(now + remainingSeconds * 1000);
  const sameDay = at.toDateString() === new Date(now).toDateString();
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${at.toLocaleDateString([], { weekday: 'short' })} ${time}`;
}

/**
 * One printer on the wall: what it needs from a person in a colour and a word, then what it prints, how far,
 * when it is done, which layer, and its temperatures. Readable from across a room.
 */
interface WallTileProps extends WallFace {
  printerId: string;
  /** The attention's parts, not the object: a tile re-renders only when its own printer or need changes. */
  word: Attention['word'];
  tone: Attention['tone'];
  detail: Attention['detail'];
  /** The time, to the minute: finish times are shown to the minute, so tiles need not re-render every second. */
  minute: number;
  /** The slicer's picture of what it prints, shown where there is no camera. */
  thumbnail: string | null;
  /** The printer's camera, shown live at 1 fps (a wall of cameras must not hold a connection each). */
  camera: CameraView | null;
  focused: boolean;
  onOpen: (id: string) => void;
}

function WallTileView(props: WallTileProps) {
  const { printerId, name, fileName, percent, layer, minutesLeft, hotend, bed, word, tone, detail, minute, thumbnail, camera, focused, onOpen } = props;
  return (
    <button
      type="button"
      className={`wall-tile wall-tone-${tone}`}
      data-testid="wall-tile"
      data-printer-id={printerId}
      data-attention={word}
      tabIndex={focused ? 0 : -1}
      title={detail ?? undefined}
      onClick={() => onOpen(printerId)}
    >
      <div className="wall-tile-head">
        <span className="wall-tile-name">{name}</span>
        <span className="wall-word" data-testid="wall-word">
          {word}
        </span>
      </div>
      {camera ? (
        <CameraImage camera={camera} fps={1} className="wall-camera" />
      ) : (
        fileName !== null && thumbnail && <img className="wall-thumb" src={thumbnail} alt="" data-testid="wall-thumbnail" />
      )}
      {fileName !== null ? (
        <div className="wall-job">
          <div className="wall-job-name" data-testid="wall-job-name">
            {fileName}
          </div>
          <div className="wall-progress" role="progressbar" aria-valuenow={percent ?? 0} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${percent}%` }} />
          </div>
          <div className="wall-job-facts">
            <span className="wall-percent">{percent} %</span>
            {layer && <span data-testid="wall-layer">{layer}</span>}
            {minutesLeft !== null && (
              <span data-testid="wall-eta">
                {formatDuration(minutesLeft * 60)} left · done {finishTime(minute, minutesLeft * 60)}
              </span>
            )}
          </div>
        </div>
      ) : (
        <div className="wall-job wall-idle">{detail ?? (word === 'Ready' ? 'Ready for the next job' : '')}</div>
      )}
      <div className="wall-temps">
        <span>Hotend {hotend}</span>
        <span>Bed {bed}</span>
      </div>
    </button>
  );
}

export const WallTile = memo(WallTileView);
