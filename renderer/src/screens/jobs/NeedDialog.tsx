import { useState, type FormEvent } from 'react';
import type { JobView } from '../../../../electron/core/contract/jobs-types';
import { Modal } from '../../components/Modal';
import { useApp } from '../../store/context';

/** Sets what a queued job needs on the printer's spool; blank means any. The file's grams stay as the slicer stated. */
export function NeedDialog({ job, onClose }: { job: JobView; onClose: () => void }) {
  const { api } = useApp();
  const [material, setMaterial] = useState(job.need?.material ?? '');
  const [colour, setColour] = useState(job.need?.colourHex ?? job.need?.colourName ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = colour.trim();
    // A colour is a code (#1A2B3C) or a name ("black"): names match a spool's colour name or the everyday name of its code.
    const isCode = /^#?[0-9a-fA-F]{6}$/.test(c);
    try {
      await api.call('jobs.setNeed', { jobId: job.id, material: material.trim() || null, colourHex: isCode ? c : null, colourName: !isCode && c ? c : null });
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Modal title={`Material for ${job.fileName}`} onClose={onClose} testId="need-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>Material</span>
          <input type="text" name="material" value={material} onChange={(e) => setMaterial(e.target.value)} placeholder="any (e.g. PLA, PETG)" maxLength={40} />
        </label>
        <label className="field">
          <span>Colour</span>
          <input
            type="text"
            name="colour"
            value={colour}
            onChange={(e) => setColour(e.target.value)}
            placeholder="any (a code like #1A2B3C, or a name like black)"
            maxLength={60}
          />
        </label>
        {job.need?.grams != null && <p className="muted">The file states {job.need.grams} g of filament: the printer's spool must hold at least that.</p>}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="row" style={{ gap: 8 }}>
          <button type="submit" className="btn">
            Save
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
