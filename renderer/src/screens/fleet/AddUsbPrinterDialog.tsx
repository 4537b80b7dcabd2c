import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MethodResult } from '../../../../electron/core/contract';
import { SERIAL_BAUD_RATES } from '../../../../electron/core/contract/methods/serial';
import { Modal } from '../../components/Modal';
import { useApp } from '../../store/context';
import { navigate } from '../../store/use-route';
import { useFormAction } from '../../components/use-form-action';

type Listing = MethodResult<'serial.listPorts'>;
const OTHER = '__other__';

/** Adds a printer on a USB serial port: pick the port, leave the baud rate on auto, and the app asks the board. */
export function AddUsbPrinterDialog({ onClose }: { onClose: () => void }) {
  const { api, actions } = useApp();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(false);
  const [name, setName] = useState('');
  const [port, setPort] = useState('');
  const [otherPort, setOtherPort] = useState('');
  const [baud, setBaud] = useState<'auto' | number>('auto');
  const { busy, error, setError, run } = useFormAction();

  const refresh = useCallback(async () => {
    setLoading(true);
    const result = await actions.attempt(() => api.call('serial.listPorts'));
    setLoading(false);
    if (!result) return;
    setListing(result);
    setPort((current) => current || result.ports[0]?.path || OTHER);
  }, [api, actions]);

  useEffect(() => void refresh(), [refresh]);

  const chosenPort = port === OTHER ? otherPort.trim() : port;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosenPort) return setError('Choose the port the printer is on, or type its path.');
    await run(async () => {
      const added = await api.call('printers.addSerial', { name: name.trim() || 'USB printer', port: chosenPort, baudRate: baud });
      actions.toast('info', `${added.name} added.`);
      onClose();
      navigate({ name: 'printer', printerId: added.id });
    });
  };

  return (
    <Modal title="Add a USB printer" onClose={onClose} testId="add-usb-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>Name</span>
          <input type="text" value={name} placeholder="e.g. Prusa MK3S #2" maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="field">
          <span>Port</span>
          <div className="row">
            <select value={port} onChange={(e) => setPort(e.target.value)} aria-label="Serial port" disabled={loading}>
              {listing?.ports.map((p) => (
                <option key={p.path} value={p.path}>
                  {p.label}
                </option>
              ))}
              <option value={OTHER}>Other (type a path)…</option>
            </select>
            <button type="button" className="btn btn-quiet" onClick={() => void refresh()} disabled={loading}>
              {loading ? 'Looking…' : 'Refresh'}
            </button>
          </div>
          {port === OTHER && (
            <input type="text" className="mono" value={otherPort} placeholder="/dev/ttyUSB0 or COM3" onChange={(e) => setOtherPort(e.target.value)} aria-label="Port path" />
          )}
          {listing && listing.ports.length === 0 && (
            <p className="muted">
              No serial ports found. Check that the printer is plugged in and switched on. On Linux your user must be in the dialout group (sudo usermod -aG dialout $USER, then log
              in again).
            </p>
          )}
          {listing?.method === 'scan' && (
            <p className="muted">
              The system's port list was unavailable{listing.fallbackReason ? ` (${listing.fallbackReason})` : ''}; these ports were found by looking in /dev.
            </p>
          )}
        </div>
        <label className="field">
          <span>Baud rate</span>
          <select value={String(baud)} onChange={(e) => setBaud(e.target.value === 'auto' ? 'auto' : Number(e.target.value))}>
            <option value="auto">Detect automatically</option>
            {SERIAL_BAUD_RATES.map((b) => (
              <option key={b} value={b}>
                {b.toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="row end">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn" disabled={busy}>
            {busy ? (baud === 'auto' ? 'Finding the baud rate…' : 'Connecting…') : 'Add printer'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
