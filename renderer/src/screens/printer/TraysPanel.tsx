import type { SpoolView } from '../../../../electron/core/contract/materials-types';
import { traySlot } from '../../../../electron/core/contract/materials-types';
import { colourDistance, sameMaterial } from '../../../../electron/core/contract/material-compare';
import { trayDisagrees } from '../../../../electron/core/contract/tray-match';
import type { ReportedTray } from '../../../../electron/core/printers/model';
import { useApp } from '../../store/context';
import { useCan } from '../../store/use-can';

/** Our spools that could be what a tray reports, the likeliest first: same material, then nearest colour. */
function candidates(tray: ReportedTray, spools: readonly SpoolView[]): SpoolView[] {
  const score = (s: SpoolView) => (tray.material && sameMaterial(tray.material, s.material) ? 0 : 1000) + (tray.colorHex ? colourDistance(tray.colorHex, s.colourHex) : 500);
  return spools.filter((s) => !s.archived).sort((a, b) => score(a) - score(b));
}

const label = (s: SpoolView) => [s.material, s.colourName || s.colourHex, s.brand].filter(Boolean).join(' · ') + ` (${Math.round(s.remainingG)} g)`;

/**
 * The filament the printer reports loaded (a Bambu AMS), as it senses it, and which of our spools each AMS tray
 * holds: the user confirms that once per spool (the queue then prints from that tray when the job's material
 * fits). When the printer reports something else in the tray, the confirmation stops counting and says why.
 */
export function TraysPanel({ printerId, trays, spools }: { printerId: string; trays: readonly ReportedTray[]; spools: readonly SpoolView[] }) {
  const { api, actions } = useApp();
  const canLoad = useCan('materials:write');
  const confirm = (slot: number, spoolId: string) =>
    void actions.attempt(async () => {
      if (spoolId) await api.call('spools.load', { spoolId, printerId, slot });
      else await api.call('spools.unload', { printerId, slot });
    });
  return (
    <table className="trays" data-testid="trays-panel">
      <tbody>
        {trays.map((t) => {
          const slot = t.amsUnit === null ? null : traySlot(t.amsUnit, t.tray);
          const spool = slot === null ? null : (spools.find((s) => s.loadedOn?.printerId === printerId && s.loadedOn.slot === slot) ?? null);
          const problem = spool ? trayDisagrees(t, spool) : null;
          return (
            <tr key={t.slot} data-testid="tray" data-active={t.active || undefined} data-slot={slot ?? 0}>
              <td>
                {t.slot}
                {t.active && <strong> · in use</strong>}
              </td>
              <td>
                {t.colorHex && <span className="swatch" style={{ background: t.colorHex }} aria-hidden="true" />}
                {t.material ? `${t.material}${t.name && t.name !== t.material ? ` (${t.name})` : ''}` : <span className="muted">empty</span>}
              </td>
              <td className="mono">{t.material ? t.remainingPct === null ? <span className="muted">amount unknown</span> : `${t.remainingPct} %` : ''}</td>
              <td>
                {slot !== null && t.material ? (
                  <>
                    <select aria-label={`Spool in ${t.slot}`} data-testid="tray-spool" value={spool?.id ?? ''} disabled={!canLoad} onChange={(e) => confirm(slot, e.target.value)}>
                      <option value="">{spool ? 'Not one of ours' : 'Which spool is this?'}</option>
                      {candidates(t, spools).map((s) => (
                        <option key={s.id} value={s.id}>
                          {label(s)}
                        </option>
                      ))}
                    </select>
                    {problem && (
                      <div className="field-error" data-testid="tray-mismatch">
                        {problem} The queue does not print from this tray until you choose its spool again.
                      </div>
                    )}
                  </>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
