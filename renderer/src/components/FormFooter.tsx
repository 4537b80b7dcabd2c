/** A dialog form's end: the failure's message next to what the user typed (which stays), then submit and Cancel. */
export function FormFooter({
  error,
  errorTestId,
  busy,
  submitLabel,
  onCancel,
}: {
  error: string | null;
  errorTestId: string;
  busy: boolean;
  submitLabel: string;
  onCancel: () => void;
}) {
  return (
    <>
      {error && (
        <p className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
      <div className="row" style={{ gap: 8 }}>
        <button type="submit" className="btn" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </>
  );
}
