import { useEffect, useState, type FormEvent } from 'react';
import type { CameraView, LocalVideoDevices } from '../../../../electron/core/contract';
import { useFormAction } from '../../components/use-form-action';
import { useApp } from '../../store/context';

/**
 * An MJPEG stream or snapshot address (with a user name and password when the camera asks for them), or a USB
 * webcam plugged into the computer running the host.
 */
export function AddCameraForm({ printerId, onDone }: { printerId: string; onDone: (added: CameraView | null) => void }) {
  const { api, actions } = useApp();
  const [name, setName] = useState('Camera');
  const [kind, setKind] = useState<'mjpeg' | 'snapshot' | 'usb'>('mjpeg');
  const [local, setLocal] = useState<LocalVideoDevices | null>(null);
  const [device, setDevice] = useState('');
  const [url, setUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useFormAction();

  useEffect(() => {
    if (kind !== 'usb' || local) return;
    api.call('cameras.devices', {}).then(
      (found) => {
        setLocal(found);
        setDevice((d) => d || found.devices[0]?.device || '');
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [api, kind, local, setError]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'usb') {
      if (!device) return setError('Choose the webcam.');
      return run(async () => onDone((await api.call('cameras.add', { printerId, name: name.trim() || 'Camera', kind: 'usb', device })).camera));
    }
    if (!url.trim()) return setError('Enter the camera address, for example http://192.168.1.20/webcam/?action=stream.');
    await run(async () => {
      const added = await api.call('cameras.add', {
        printerId,
        name: name.trim() || 'Camera',
        kind,
        url: url.trim(),
        ...(username.trim() ? { username: username.trim() } : {}),
        ...(password ? { password } : {}),
      });
      setPassword('');
      if (added.credential && added.credential.protection !== 'encrypted' && added.credential.message) actions.toast('error', added.credential.message);
      onDone(added.camera);
    });
  };

  return (
    <form className="add-camera" onSubmit={(e) => void submit(e)} noValidate data-testid="add-camera-form">
      <label className="field">
        <span>Name</span>
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
      </label>
      <fieldset className="row">
        <legend className="sr-only">Kind of address</legend>
        <label>
          <input type="radio" name="camera-kind" checked={kind === 'mjpeg'} onChange={() => setKind('mjpeg')} /> MJPEG stream
        </label>
        <label>
          <input type="radio" name="camera-kind" checked={kind === 'snapshot'} onChange={() => setKind('snapshot')} /> Snapshot (a still picture, fetched again and again)
        </label>
        <label>
          <input type="radio" name="camera-kind" checked={kind === 'usb'} onChange={() => setKind('usb')} /> USB webcam on the computer running the farm
        </label>
      </fieldset>
      {kind === 'usb' ? (
        <UsbChoice local={local} device={device} onDevice={setDevice} />
      ) : (
        <>
          <label className="field">
            <span>Address</span>
            <input
              type="text"
              className="mono"
              placeholder={kind === 'mjpeg' ? 'http://192.168.1.20/webcam/?action=stream' : 'http://192.168.1.20/webcam/?action=snapshot'}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              data-testid="camera-url"
            />
          </label>
          <div className="row">
            <label className="field">
              <span>User name (if the camera asks)</span>
              <input type="text" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
            </label>
            <label className="field">
              <span>Password</span>
              <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          </div>
        </>
      )}
      {error && <p className="field-error">{error}</p>}
      <div className="row end">
        <button type="button" className="btn btn-quiet" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" className="btn" disabled={busy} data-testid="add-camera-submit">
          Add camera
        </button>
      </div>
    </form>
  );
}

function UsbChoice({ local, device, onDevice }: { local: LocalVideoDevices | null; device: string; onDevice: (d: string) => void }) {
  if (!local) return <p className="muted">Looking for webcams…</p>;
  if (local.problem) return <p className="notice notice-warn">{local.problem}</p>;
  if (local.devices.length === 0) return <p className="muted">No webcam is plugged into this computer (no /dev/video device).</p>;
  return (
    <label className="field">
      <span>Webcam</span>
      <select value={device} onChange={(e) => onDevice(e.target.value)} data-testid="camera-device">
        {local.devices.map((d) => (
          <option key={d.device} value={d.device}>
            {d.name === d.device ? d.device : `${d.name} (${d.device})`}
          </option>
        ))}
      </select>
    </label>
  );
}
