import { useState } from 'react';
import { Dialog, inputStyle, warnStyle } from '../setup/ui';

/**
 * The only place a full key reaches the screen: right after it was created or rolled for another use. The
 * value lives in this dialog's props; closing the dialog drops it.
 */
export function ShowOnceDialog({ name, secret, message, onClose }: { name: string; secret: string; message: string; onClose: () => void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Dialog title={`New key: ${name}`} onClose={onClose} testId="show-once-dialog">
      <p className="notice" style={warnStyle}>
        {message}
      </p>
      <input readOnly value={secret} aria-label="The new API key" data-testid="show-once-key" className="mono" style={inputStyle} onFocus={(e) => e.target.select()} />
      <p className="muted" style={{ margin: 0 }}>
        Keep it in a password manager or your service's secret settings, never in code. Clipboard history tools may keep a copy.
      </p>
      {copied === 'failed' && <p className="field-error">Copying was not allowed here; select the key and copy it by hand.</p>}
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn btn-quiet" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          I have saved the key
        </button>
      </div>
    </Dialog>
  );
}
