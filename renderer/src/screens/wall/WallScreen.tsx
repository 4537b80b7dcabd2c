import { useCallback, useMemo, useRef, useState } from 'react';
import { useNow } from '../../components/use-now';
import { useFirstCameraByPrinter } from '../cameras/use-cameras';
import { useAppState } from '../../store/context';
import { navigate } from '../../store/use-route';
import { useProfiles } from '../jobs/use-farm';
import { maintenanceDue } from '../maintenance/maintenance-summary';
import { useMaintenance } from '../maintenance/use-maintenance';
import { wallOrder } from './attention';
import { useGridKeys } from './use-grid-keys';
import { useWallThumbnails } from './use-wall-thumbnails';
import { WallTile } from './WallTile';
import { wallFaceOf } from './wall-face';

/**
 * The fleet wall: every printer as a tile, the ones that need a person first, for a monitor in the farm room.
 * Full screen on request (the browser needs a click or a key for that); arrow keys move, Enter opens a printer.
 */
export function WallScreen() {
  const order = useAppState((s) => s.order);
  const printers = useAppState((s) => s.printers);
  const profiles = useProfiles();
  const maintenance = useMaintenance();
  const now = useNow(1000);
  const minute = Math.floor(now / 60_000) * 60_000;
  const grid = useRef<HTMLDivElement>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);

  const profileMap = useMemo(() => new Map(profiles.map((p) => [p.printerId, p])), [profiles]);
  const dueMap = useMemo(() => new Map([...maintenance].map(([id, tasks]) => [id, maintenanceDue(tasks)])), [maintenance]);
  const tiles = useMemo(
    () =>
      wallOrder(
        order.flatMap((id) => (printers[id] ? [printers[id]] : [])),
        profileMap,
        dueMap,
      ),
    [order, printers, profileMap, dueMap],
  );
  const ids = useMemo(() => tiles.map((t) => t.printer.id), [tiles]);
  const thumbnails = useWallThumbnails(useMemo(() => tiles.map((t) => t.printer), [tiles]));
  // A printer's first camera, at 1 fps on the wall (the relay keeps one upstream per camera however many look).
  const cameraOf = useFirstCameraByPrinter();
  const needing = tiles.filter((t) => t.attention.rank <= 2).length;
  const printing = tiles.filter((t) => t.attention.word === 'Printing').length;
  const open = useCallback((printerId: string) => navigate({ name: 'printer', printerId }), []);
  const onKeyDown = useGridKeys({ grid, ids, focusedId, setFocusedId, onOpen: open });
  const current = focusedId && ids.includes(focusedId) ? focusedId : (ids[0] ?? null);

  const fullScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };

  return (
    <section className="wall" aria-labelledby="wall-title">
      <header className="wall-head">
        <h1 id="wall-title">Fleet wall</h1>
        <p className="wall-summary" data-testid="wall-summary">
          {needing > 0 ? <strong>{needing} need someone</strong> : 'Nothing needs anyone'} · {printing} printing · {tiles.length} printers
        </p>
        <span className="wall-clock">{new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</span>
        <button type="button" className="btn btn-quiet" onClick={fullScreen} data-testid="wall-fullscreen">
          Full screen
        </button>
        <a className="btn btn-quiet" href="#/fleet">
          Exit wall
        </a>
      </header>
      <div
        className="wall-grid"
        ref={grid}
        onKeyDown={onKeyDown}
        data-testid="wall-grid"
        role="group"
        aria-label="Printers, those needing attention first. Arrow keys move, Enter opens."
      >
        {tiles.map(({ printer, attention }) => (
          <WallTile
            key={printer.id}
            printerId={printer.id}
            {...wallFaceOf(printer)}
            word={attention.word}
            tone={attention.tone}
            detail={attention.detail}
            minute={minute}
            thumbnail={thumbnails.get(printer.id) ?? null}
            camera={cameraOf.get(printer.id) ?? null}
            focused={printer.id === current}
            onOpen={open}
          />
        ))}
      </div>
    </section>
  );
}
