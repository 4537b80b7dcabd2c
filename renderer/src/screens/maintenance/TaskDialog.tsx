import { useState, type FormEvent } from 'react';
import { FormFooter } from '../../components/FormFooter';
import {
  MAINTENANCE_KIND_LABEL,
  MAINTENANCE_KINDS,
  SUGGESTED_MAINTENANCE,
  type MaintenanceKind,
  type MaintenanceTaskView,
} from '../../../../electron/core/contract/maintenance-types';
import { Modal } from '../../components/Modal';
import { useFormAction } from '../../components/use-form-action';
import { useApp } from '../../store/context';

interface Draft {
  kind: MaintenanceKind;
  name: string;
  everyHours: string;
  everyGrams: string;
  everyPrints: string;
  holdWhenDue: boolean;
  countFrom: 'now' | 'history';
}

const text = (n: number | null) => (n === null ? '' : String(n));

function suggested(kind: MaintenanceKind): Omit<Draft, 'countFrom'> {
  const s = SUGGESTED_MAINTENANCE.find((t) => t.kind === kind);
  return {
    kind,
    name: s?.name ?? '',
    everyHours: text(s?.everyHours ?? null),
    everyGrams: text(s?.everyGrams ?? null),
    everyPrints: text(s?.everyPrints ?? null),
    holdWhenDue: false,
  };
}

/** "" → null (not counted); a number → that number; anything else is said in the form, and nothing is sent. */
function threshold(value: string, what: string): number | null {
  const v = value.trim().replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${what}: give a number, or leave it empty.`);
  return n;
}

/** Adds a task to a printer, or edits one. The host checks every field; its message is shown under the form. */
export function TaskDialog({ printerId, task, onClose }: { printerId: string; task: MaintenanceTaskView | null; onClose: () => void }) {
  const { api } = useApp();
  const { busy, error, run } = useFormAction();
  const [draft, setDraft] = useState<Draft>(() =>
    task
      ? {
          kind: task.kind,
          name: task.name,
          everyHours: text(task.everyHours),
          everyGrams: text(task.everyGrams),
          everyPrints: text(task.everyPrints),
          holdWhenDue: task.holdWhenDue,
          countFrom: 'now',
        }
      : { ...suggested('nozzle'), countFrom: 'now' },
  );
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const fields = {
        name: draft.name,
        everyHours: threshold(draft.everyHours, 'Print hours'),
        everyGrams: threshold(draft.everyGrams, 'Grams of filament'),
        everyPrints: threshold(draft.everyPrints, 'Number of prints'),
        holdWhenDue: draft.holdWhenDue,
      };
      if (task) await api.call('maintenance.update', { taskId: task.id, ...fields });
      else await api.call('maintenance.create', { printerId, kind: draft.kind, countFrom: draft.countFrom, ...fields });
      onClose();
    });
  };

  const number = (k: 'everyHours' | 'everyGrams' | 'everyPrints', label: string) => (
    <label className="field">
      <span>{label}</span>
      <input type="text" inputMode="decimal" name={k} value={draft[k]} onChange={set(k)} placeholder="not counted" />
    </label>
  );

  return (
    <Modal title={task ? `Edit ${task.name}` : 'Add maintenance task'} onClose={onClose} testId="maintenance-dialog">
      <form className="form" onSubmit={submit}>
        <div className="panel-row" style={{ gap: 12 }}>
          {!task && (
            <label className="field">
              <span>Task</span>
              <select name="kind" value={draft.kind} onChange={(e) => setDraft((d) => ({ ...suggested(e.target.value as MaintenanceKind), countFrom: d.countFrom }))}>
                {MAINTENANCE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {MAINTENANCE_KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field">
            <span>Name</span>
            <input
              type="text"
              name="name"
              value={draft.name}
              onChange={set('name')}
              placeholder={draft.kind === 'custom' ? 'e.g. PTFE tube' : MAINTENANCE_KIND_LABEL[draft.kind]}
            />
          </label>
        </div>
        <p className="muted" style={{ margin: 0 }}>
          Due when any of these is reached since it was last done (leave empty what should not count):
        </p>
        <div className="panel-row" style={{ gap: 12 }}>
          {number('everyHours', 'Every … print hours')}
          {number('everyGrams', 'Every … g of filament')}
          {number('everyPrints', 'Every … prints')}
        </div>
        <label className="row">
          <input type="checkbox" name="holdWhenDue" checked={draft.holdWhenDue} onChange={(e) => setDraft((d) => ({ ...d, holdWhenDue: e.target.checked }))} />
          Hold the printer when due: the queue starts nothing on it until this is marked done
        </label>
        {!task && (
          <label className="field">
            <span>Count from</span>
            <select name="countFrom" value={draft.countFrom} onChange={(e) => setDraft((d) => ({ ...d, countFrom: e.target.value as Draft['countFrom'] }))}>
              <option value="now">Now (it was just done)</option>
              <option value="history">Every print on record for this printer</option>
            </select>
          </label>
        )}
        <FormFooter error={error} errorTestId="maintenance-error" busy={busy} submitLabel={task ? 'Save' : 'Add task'} onCancel={onClose} />
      </form>
    </Modal>
  );
}

/** Marks a task done now, with an optional note and who did it (the device's name when left empty). */
export function DoneDialog({ task, onClose }: { task: MaintenanceTaskView; onClose: () => void }) {
  const { api, actions } = useApp();
  const { busy, error, run } = useFormAction();
  const [note, setNote] = useState('');
  const [by, setBy] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.call('maintenance.markDone', { taskId: task.id, note, ...(by.trim() ? { by } : {}) });
      actions.toast('info', `${task.name} marked done.`);
      onClose();
    });
  };
  return (
    <Modal title={`Mark ${task.name} done`} onClose={onClose} testId="maintenance-done-dialog">
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Note (optional)</span>
          <textarea name="note" value={note} onChange={(e) => setNote(e.target.value)} rows={3} placeholder="e.g. 0.4 mm hardened steel" />
        </label>
        <label className="field">
          <span>Done by (optional)</span>
          <input type="text" name="by" value={by} onChange={(e) => setBy(e.target.value)} placeholder="this device's name" />
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="maintenance-error">
            {error}
          </p>
        )}
        <div className="row" style={{ gap: 8 }}>
          <button type="submit" className="btn" disabled={busy}>
            Mark done
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
