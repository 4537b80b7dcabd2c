import { useState } from 'react';
import type { CameraView } from '../../../../electron/core/contract';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';
import { AddCameraForm } from './AddCameraForm';
import { CameraImage } from './CameraImage';
import { TimelapseOption } from './TimelapseOption';
import { useCameras } from './use-cameras';

const ORIGIN_LABEL: Record<CameraView['origin'], string> = { manual: 'added here', printer: "from the printer's settings", 'built-in': "the printer's own" };

/** The printer page's camera: the live stream at full rate, or what is missing and what to do about it. */
export function CameraPanel({ printerId, printerKind }: { printerId: string; printerKind: string }) {
  const { api, actions } = useApp();
  const manage = useCan('fleet:manage');
  const { cameras, error, reload } = useCameras(printerId);
  const [chosen, setChosen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const camera = cameras?.find((c) => c.id === chosen) ?? cameras?.find((c) => c.streamPath) ?? cameras?.[0] ?? null;

  const remove = async (c: CameraView) => {
    if (!window.confirm(`Remove the camera "${c.name}"?`)) return;
    const done = await actions.attempt(() => api.call('cameras.remove', { cameraId: c.id }));
    if (done) void reload();
  };

  return (
    <div className="panel camera-panel" data-testid="camera-panel">
      <div className="row camera-head">
        <h2>Camera</h2>
        {cameras && cameras.length > 1 && (
          <select aria-label="Camera" value={camera?.id ?? ''} onChange={(e) => setChosen(e.target.value)} data-testid="camera-select">
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {error && <p className="field-error">{error}</p>}
      {cameras === null && !error && <p className="muted">Looking for cameras…</p>}
      {cameras?.length === 0 && (
        <p className="muted" data-testid="no-camera">
          No camera.{' '}
          {printerKind === 'moonraker' || printerKind === 'octoprint' ? 'Webcams set up on the printer (in Mainsail, Fluidd or OctoPrint) appear here by themselves. ' : ''}
          {manage ? 'Add the MJPEG stream or snapshot address of a camera that watches this printer.' : 'An admin can add the address of a camera that watches this printer.'}
        </p>
      )}
      {camera && (
        <div className="camera-view">
          {camera.streamPath ? <CameraImage key={camera.id} camera={camera} onFailed={() => void reload()} /> : null}
          {camera.problem && (
            <p className="notice notice-warn" data-testid="camera-problem">
              {camera.problem}
            </p>
          )}
          {camera.streamPath ? <TimelapseOption printerId={printerId} /> : null}
          <p className="muted camera-where">
            {camera.name} · {ORIGIN_LABEL[camera.origin]} · {camera.where}
            {manage && camera.removable && (
              <button type="button" className="btn btn-small btn-quiet" onClick={() => void remove(camera)}>
                Remove
              </button>
            )}
          </p>
        </div>
      )}
      {manage &&
        (adding ? (
          <AddCameraForm
            printerId={printerId}
            onDone={(added) => {
              setAdding(false);
              if (added) {
                setChosen(added.id);
                void reload();
              }
            }}
          />
        ) : (
          <button type="button" className="btn btn-quiet" onClick={() => setAdding(true)} data-testid="add-camera">
            Add a camera
          </button>
        ))}
    </div>
  );
}
