import type { PrinterNotice } from '../../../../electron/core/contract';

/** What the app did to the printer on its own (made it safe after a crash), until the user has seen it. */
export function PrinterNoticePanel({ notice, onDismiss }: { notice: PrinterNotice; onDismiss: () => void }) {
  return (
    <div className="notice notice-row" role="status" data-testid="printer-notice">
      <span>{notice.message}</span>
      <button type="button" className="btn btn-quiet" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** Heaters on with nothing printing: one click switches heaters and fan off and releases the motors. */
export function HeatersOnPanel({ text, disabled, onCoolDown }: { text: string; disabled: boolean; onCoolDown: () => void }) {
  return (
    <div className="notice notice-row notice-warn" data-testid="heaters-on">
      <span>{text}.</span>
      <button type="button" className="btn" onClick={onCoolDown} disabled={disabled}>
        Cool down
      </button>
    </div>
  );
}
