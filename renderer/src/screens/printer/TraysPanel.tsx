import type { ReportedTray } from '../../../../electron/core/printers/model';

/** The filament the printer reports loaded (a Bambu AMS), as it senses it: type, colour, and what is left when it can tell. */
export function TraysPanel({ trays }: { trays: readonly ReportedTray[] }) {
  return (
    <table className="trays" data-testid="trays-panel">
      <tbody>
        {trays.map((t) => (
          <tr key={t.slot} data-testid="tray" data-active={t.active || undefined}>
            <td>
              {t.slot}
              {t.active && <strong> · in use</strong>}
            </td>
            <td>
              {t.colorHex && <span className="swatch" style={{ background: t.colorHex }} aria-hidden="true" />}
              {t.material ? `${t.material}${t.name && t.name !== t.material ? ` (${t.name})` : ''}` : <span className="muted">empty</span>}
            </td>
            <td className="mono">{t.material ? t.remainingPct === null ? <span className="muted">amount unknown</span> : `${t.remainingPct} %` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
