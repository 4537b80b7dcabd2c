import type { MaterialMatching } from '../../../../electron/core/contract/materials-types';
import { useState } from 'react';
import type { FarmProfile, FarmSettings } from '../../../../electron/core/contract/jobs-types';
import { Modal } from '../../components/Modal';
import { useApp } from '../../store/context';
import { usePrinterNames } from '../../store/use-printer-names';

function ProfileDialog({ profile, name, onClose }: { profile: FarmProfile; name: string; onClose: () => void }) {
  const { api, actions } = useApp();
  const [model, setModel] = useState(profile.model ?? '');
  const [nozzle, setNozzle] = useState(profile.nozzleDiameter?.toString() ?? '');
  const [material, setMaterial] = useState(profile.material ?? '');
  const [group, setGroup] = useState(profile.group ?? '');
  const [tags, setTags] = useState(profile.tags.join(', '));
  const [autoEject, setAutoEject] = useState(profile.autoEject);
  const save = async () => {
    const n = nozzle.trim() ? Number(nozzle) : null;
    if (n !== null && !(n >= 0.1 && n <= 2)) {
      actions.toast('error', 'The nozzle diameter must be between 0.1 and 2 mm.');
      return;
    }
    const ok = await actions.attempt(() =>
      api.call('jobs.updateProfile', {
        printerId: profile.printerId,
        model: model.trim() || null,
        nozzleDiameter: n,
        material: material.trim() || null,
        group: group.trim() || null,
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        autoEject,
      }),
    );
    if (ok) onClose();
  };
  return (
    <Modal title={`Farm profile of ${name}`} onClose={onClose}>
      <div style={{ display: 'grid', gap: 10, minWidth: 340 }}>
        <label className="row">
          Model <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="e.g. MK4" maxLength={60} />
        </label>
        <label className="row">
          Nozzle (mm) <input value={nozzle} onChange={(e) => setNozzle(e.target.value)} inputMode="decimal" placeholder="0.4" style={{ width: 80 }} />
        </label>
        <label className="row">
          Loaded material <input value={material} onChange={(e) => setMaterial(e.target.value)} placeholder="e.g. PLA" maxLength={60} />
        </label>
        <label className="row">
          Group <input value={group} onChange={(e) => setGroup(e.target.value)} maxLength={60} />
        </label>
        <label className="row">
          Tags <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="comma separated" />
        </label>
        <label className="choice">
          <input type="checkbox" checked={autoEject} onChange={(e) => setAutoEject(e.target.checked)} /> Clears its own bed after a completed print (belt, plate changer): no
          confirmation needed
        </label>
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn" onClick={() => void save()}>
            Save
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** What each printer can print, editable; and the farm-wide stagger setting. */
export function ProfilesPanel({ profiles, settings }: { profiles: FarmProfile[]; settings: FarmSettings | null }) {
  const { api, actions } = useApp();
  const names = usePrinterNames();
  const [editing, setEditing] = useState<FarmProfile | null>(null);
  const byId = new Map(profiles.map((p) => [p.printerId, p]));
  return (
    <section className="panel" aria-labelledby="profiles-title">
      <div className="row spread">
        <h2 id="profiles-title" style={{ margin: 0, fontSize: 16 }}>
          Printers in the farm
        </h2>
        {settings ? (
          <label className="row muted">
            At most
            <input
              type="number"
              min={1}
              max={100}
              value={settings.maxConcurrentStarts}
              aria-label="Printers heating up at once"
              style={{ width: 60 }}
              onChange={(e) => {
                const n = Math.round(Number(e.target.value));
                if (n >= 1 && n <= 100) void actions.attempt(() => api.call('jobs.updateSettings', { maxConcurrentStarts: n }));
              }}
            />
            printers heating up at once
          </label>
        ) : null}
        {settings ? (
          <label className="row muted" title="How jobs are matched to the spool each printer has loaded">
            Spool matching
            <select
              value={settings.materialMatching}
              data-testid="material-matching"
              style={{ minWidth: 230 }}
              onChange={(e) => void actions.attempt(() => api.call('jobs.updateSettings', { materialMatching: e.target.value as MaterialMatching }))}
            >
              <option value="when-known">Printers with a spool loaded</option>
              <option value="require-spool">Require a matching spool</option>
              <option value="off">Off</option>
            </select>
          </label>
        ) : null}
      </div>
      <table style={{ width: '100%', borderCollapse: 'collapse', marginTop: 8, fontSize: 14 }}>
        <thead>
          <tr className="muted" style={{ textAlign: 'left' }}>
            <th>Printer</th>
            <th>Model</th>
            <th>Nozzle</th>
            <th>Material</th>
            <th>Group / tags</th>
            <th>Bed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {[...names.keys()].map((id) => {
            const p = byId.get(id);
            const name = names.get(id) ?? id;
            if (!p) return null;
            return (
              <tr key={id} style={{ borderTop: '1px solid var(--border)' }}>
                <td>{name}</td>
                <td>{p.model ?? '—'}</td>
                <td>{p.nozzleDiameter !== null ? `${p.nozzleDiameter} mm` : '—'}</td>
                <td>{p.material ?? '—'}</td>
                <td>{[p.group, ...p.tags.map((t) => `#${t}`)].filter(Boolean).join(' ') || '—'}</td>
                <td>{p.bed === 'clear' ? (p.autoEject ? 'Clear (auto-eject)' : 'Clear') : 'To clear'}</td>
                <td style={{ textAlign: 'right' }}>
                  <button type="button" className="btn btn-quiet" onClick={() => setEditing(p)} aria-label={`Edit farm profile of ${name}`}>
                    Edit
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing && <ProfileDialog profile={editing} name={names.get(editing.printerId) ?? editing.printerId} onClose={() => setEditing(null)} />}
    </section>
  );
}
