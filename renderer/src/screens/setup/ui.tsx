import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import type { SetupFailure } from '../../../../electron/core/contract/keys-types';

// The shared stylesheet styles text inputs only; key fields are password inputs, styled here the same way.
export const inputStyle: CSSProperties = {
  font: 'inherit',
  padding: '7px 10px',
  borderRadius: 6,
  border: '1px solid var(--border)',
  background: 'var(--surface-2)',
  color: 'var(--text)',
  width: '100%',
  boxSizing: 'border-box',
};

export const stack: CSSProperties = { display: 'grid', gap: 12 };
export const warnStyle: CSSProperties = { borderColor: 'var(--warn)' };

/** A modal dialog: focus moves in on open, Escape closes (unless `busy`). */
export function Dialog({ title, onClose, busy, children, testId }: { title: string; onClose: () => void; busy?: boolean; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, button')?.focus();
  }, []);
  return (
    <div
      style={{ position: 'fixed', inset: 0, background: 'rgba(0,0,0,0.45)', display: 'grid', placeItems: 'center', zIndex: 50 }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) onClose();
      }}
    >
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        className="panel"
        style={{ width: 'min(620px, 92vw)', maxHeight: '88vh', overflow: 'auto', ...stack }}
      >
        <h2 style={{ margin: 0 }}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** A failed check: what happened and the docs' solutions, specific to this failure. */
export function FailureNotice({ failure }: { failure: SetupFailure }) {
  return (
    <div className="notice" data-testid="setup-failure" data-kind={failure.kind} style={{ borderColor: 'var(--danger)' }}>
      <strong>{failure.title}</strong>
      <p style={{ margin: '6px 0' }}>{failure.message}</p>
      {failure.trimmed && (
        <p className="muted" style={{ margin: '6px 0' }}>
          Spaces or line breaks around the pasted key were removed before the check.
        </p>
      )}
      {failure.solutions.length > 0 && (
        <>
          <div>What you can do:</div>
          <ul style={{ margin: '4px 0 0' }}>
            {failure.solutions.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function formatDate(iso: string | null): string {
  if (iso === null) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
