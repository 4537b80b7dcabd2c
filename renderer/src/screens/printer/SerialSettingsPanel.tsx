import { useEffect, useState, type FormEvent } from 'react';
import { DEFAULT_SERIAL_SETTINGS, SerialSettingsInput, type SerialSettings } from '../../../../electron/core/contract/serial-types';
import { useFormAction } from '../../components/use-form-action';
import { useApp } from '../../store/context';

/** The form keeps numbers as typed, so a half-typed value is never silently replaced. */
type Draft = Omit<SerialSettings, 'windowLines' | 'rxBufferBytes'> & { windowLines: string; rxBufferBytes: string };

const toDraft = (s: SerialSettings): Draft => ({ ...s, windowLines: String(s.windowLines), rxBufferBytes: String(s.rxBufferBytes) });

/**
 * How the app streams to a USB printer and what it sends when a print pauses, resumes or is cancelled.
 * Collapsed by default: most printers never need it. Saving reconnects the printer, so it waits for the
 * end of a print.
 */
export function SerialSettingsPanel({ printerId, printing }: { printerId: string; printing: boolean }) {
  const { api, actions } = useApp();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { busy, error, setError, run } = useFormAction();

  useEffect(() => {
    if (!open || draft) return;
    void run(async () => setDraft(toDraft(await api.call('printers.serialSettings', { printerId }))));
  }, [open, draft, printerId, api, run]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setError(null);
    setDraft((d) => (d ? { ...d, [key]: value } : d));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const parsed = SerialSettingsInput.safeParse({ ...draft, windowLines: Number(draft.windowLines), rxBufferBytes: Number(draft.rxBufferBytes) });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check the settings.');
    await run(async () => {
      const result = await api.call('printers.updateSerialSettings', { printerId, settings: parsed.data });
      setDraft(toDraft(result.settings));
      actions.toast('info', `${result.printer.name}: settings saved. Reconnecting…`);
    });
  };

  return (
    <details className="panel settings-panel" data-testid="serial-settings" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>Connection and scripts</h2>
        <span className="muted">How G-code is streamed over USB, and what runs on pause, resume and cancel.</span>
      </summary>
      {!draft ? (
        error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <fieldset className="field">
            <legend>Streaming</legend>
            <label className="choice">
              <input type="radio" name="streaming" value="auto" checked={draft.streaming === 'auto'} onChange={() => set('streaming', 'auto')} />
              <span>
                <strong>Automatic</strong> (recommended): uses the printer’s own buffer as far as it reports it (Marlin’s ADVANCED_OK), one line at a time otherwise.
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="streaming" value="safe" checked={draft.streaming === 'safe'} onChange={() => set('streaming', 'safe')} />
              <span>
                <strong>Safe</strong>: one line at a time, the next only after the printer answers “ok”. Works with every firmware.
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="streaming" value="buffered" checked={draft.streaming === 'buffered'} onChange={() => set('streaming', 'buffered')} />
              <span>
                <strong>Buffered</strong>: keeps several lines waiting in the printer’s own buffer, so it never pauses between short moves. Use it when curved or detailed prints
                stutter or leave blobs at slow baud rates.
              </span>
            </label>
          </fieldset>
          {draft.streaming === 'buffered' && (
            <div className="settings-grid">
              <label className="field">
                <span>Lines in flight</span>
                <input type="number" min={1} max={32} value={draft.windowLines} onChange={(e) => set('windowLines', e.target.value)} aria-describedby="window-help" />
              </label>
              <label className="field">
                <span>Firmware receive buffer (bytes)</span>
                <input type="number" min={64} max={65536} value={draft.rxBufferBytes} onChange={(e) => set('rxBufferBytes', e.target.value)} aria-describedby="window-help" />
              </label>
              <p className="muted settings-help" id="window-help">
                If the firmware reports its free buffer (Marlin’s ADVANCED_OK), the app follows it; otherwise it keeps this many lines in flight. Marlin’s defaults are 4 lines
                (BUFSIZE) and 128 bytes (RX_BUFFER_SIZE). Set the receive buffer to your firmware’s value or lower: a larger number than the board really has overflows it, and the
                printer then asks for lines again (resends) or stutters.
              </p>
            </div>
          )}
          <label className="field">
            <span>Pause script</span>
            <textarea className="mono" rows={3} value={draft.pauseScript} onChange={(e) => set('pauseScript', e.target.value)} spellCheck={false} />
            <small className="muted">Runs when a print pauses, after the printer’s position is saved. The default lifts the nozzle 10 mm.</small>
          </label>
          <label className="choice">
            <input type="checkbox" checked={draft.heatersOffOnPause} onChange={(e) => set('heatersOffOnPause', e.target.checked)} />
            <span>Turn the heaters off while paused (they heat back up, and the app waits, before the print resumes)</span>
          </label>
          <label className="field">
            <span>Resume script</span>
            <textarea className="mono" rows={5} value={draft.resumeScript} onChange={(e) => set('resumeScript', e.target.value)} spellCheck={false} />
            <small className="muted">{'{x} {y} {z} {e} {f}'} are the position and speed saved at the pause; a line whose values are unknown is skipped.</small>
          </label>
          <label className="field">
            <span>Cancel script</span>
            <textarea className="mono" rows={4} value={draft.cancelScript} onChange={(e) => set('cancelScript', e.target.value)} spellCheck={false} />
            <small className="muted">Runs when a print is cancelled. The default turns the heaters, the fan and the motors off.</small>
          </label>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="row spread">
            <button type="button" className="btn btn-quiet" onClick={() => setDraft(toDraft(DEFAULT_SERIAL_SETTINGS))} disabled={busy}>
              Restore defaults
            </button>
            <div className="row">
              {printing && <span className="muted">Settings can be saved when the print ends.</span>}
              <button type="submit" className="btn" disabled={busy || printing}>
                {busy ? 'Saving…' : 'Save and reconnect'}
              </button>
            </div>
          </div>
        </form>
      )}
    </details>
  );
}
