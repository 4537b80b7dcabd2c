import { useState, type FormEvent } from 'react';
import { PRIORITIES, type JobRequirements, type LibraryFileView, type Priority } from '../../../../electron/core/contract/jobs-types';
import { formatRefusal, printerTakesFormat } from '../../../../electron/core/contract/file-formats';
import { Modal } from '../../components/Modal';
import { navigate } from '../../store/use-route';
import { useApp, useAppState } from '../../store/context';

/** "Print" from the library: how many copies, how urgent, and which printers may take them. */
export function QueueDialog({ file, onClose }: { file: LibraryFileView; onClose: () => void }) {
  const { api, actions } = useApp();
  const order = useAppState((s) => s.order);
  const printers = useAppState((s) => s.printers);
  const [copies, setCopies] = useState(1);
  const [priority, setPriority] = useState<Priority>('normal');
  const [where, setWhere] = useState<string>('any');
  const [matchModel, setMatchModel] = useState(false);
  const [matchNozzle, setMatchNozzle] = useState(false);
  const [matchMaterial, setMatchMaterial] = useState(false);
  const [group, setGroup] = useState('');
  const [tags, setTags] = useState('');
  const [busy, setBusy] = useState(false);
  // One id per dialog: if the reply to "Queue" is lost and the user presses it again, the app answers with the
  // jobs it already made instead of making them twice.
  const [requestId] = useState(newRequestId);
  const chosen = where === 'any' ? undefined : printers[where];
  // A .gcode.3mf only prints on Bambu printers (the dispatcher enforces the same rule); say so before it is queued.
  const refusal = chosen ? formatRefusal(chosen.kind, file.format, chosen.name) : null;
  const takers = order.filter((id) => printerTakesFormat(printers[id]?.kind, file.format));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const requirements: JobRequirements = {};
    if (matchModel && file.printerModel) requirements.printerModel = file.printerModel;
    if (matchNozzle && file.nozzleDiameter !== null) requirements.nozzleDiameter = file.nozzleDiameter;
    if (matchMaterial && file.material) requirements.material = file.material;
    if (group.trim()) requirements.group = group.trim();
    const tagList = tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (tagList.length) requirements.tags = tagList;
    setBusy(true);
    const done = await actions.attempt(() =>
      api.call('jobs.enqueue', {
        requestId,
        fileSha256: file.sha256,
        copies,
        priority,
        target: where === 'any' ? { kind: 'any', requirements } : { kind: 'printer', printerId: where },
      }),
    );
    setBusy(false);
    if (done) {
      actions.toast('info', `${copies} × ${file.name} queued.`);
      onClose();
      navigate({ name: 'jobs' });
    }
  };

  return (
    <Modal title={`Print ${file.name}`} onClose={onClose} testId="queue-dialog">
      <form onSubmit={(e) => void submit(e)} style={{ display: 'grid', gap: 12, minWidth: 360 }}>
        <label className="row">
          Copies
          <input
            type="number"
            min={1}
            max={500}
            value={copies}
            onChange={(e) => setCopies(Math.max(1, Math.min(500, Number(e.target.value) || 1)))}
            data-testid="queue-copies"
            style={{ width: 80 }}
          />
        </label>
        <label className="row">
          Priority
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p[0]!.toUpperCase() + p.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          Printer
          <select value={where} onChange={(e) => setWhere(e.target.value)} data-testid="queue-printer">
            <option value="any">Any compatible printer</option>
            {order.map((id) => (
              <option key={id} value={id}>
                Only {printers[id]?.name ?? id}
                {printerTakesFormat(printers[id]?.kind, file.format) ? '' : ' (cannot print this file)'}
              </option>
            ))}
          </select>
        </label>
        {refusal ? (
          <p className="notice" role="alert" data-testid="queue-format-refusal">
            {refusal}
          </p>
        ) : null}
        {where === 'any' && file.format === 'gcode.3mf' ? (
          <p className="notice" data-testid="queue-format-note">
            {takers.length
              ? 'This .gcode.3mf goes only to Bambu Lab printers: its G-code is packed in a Bambu project file the other printers cannot unpack.'
              : 'No Bambu Lab printer is set up, and only Bambu printers can unpack a .gcode.3mf. The job will wait in the queue until one is added.'}
          </p>
        ) : null}
        {where === 'any' ? (
          <fieldset style={{ display: 'grid', gap: 6, border: '1px solid var(--border)', borderRadius: 6 }}>
            <legend>Only printers that have</legend>
            <label className="choice">
              <input type="checkbox" checked={matchModel} disabled={!file.printerModel} onChange={(e) => setMatchModel(e.target.checked)} /> model{' '}
              {file.printerModel ?? '(the file does not say)'}
            </label>
            <label className="choice">
              <input type="checkbox" checked={matchNozzle} disabled={file.nozzleDiameter === null} onChange={(e) => setMatchNozzle(e.target.checked)} /> a{' '}
              {file.nozzleDiameter ?? '?'} mm nozzle
            </label>
            <label className="choice">
              <input type="checkbox" checked={matchMaterial} disabled={!file.material} onChange={(e) => setMatchMaterial(e.target.checked)} />{' '}
              {file.material ?? 'the material (the file does not say)'} loaded
            </label>
            <label className="row">
              Group <input value={group} onChange={(e) => setGroup(e.target.value)} placeholder="any" maxLength={60} />
            </label>
            <label className="row">
              Tags <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="comma separated" maxLength={200} />
            </label>
          </fieldset>
        ) : null}
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn" disabled={busy || refusal !== null} data-testid="queue-submit">
            Queue {copies > 1 ? `${copies} copies` : 'print'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** 128 random bits as hex: crypto.randomUUID is missing on plain-HTTP LAN pages, getRandomValues is not. */
function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `q-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
