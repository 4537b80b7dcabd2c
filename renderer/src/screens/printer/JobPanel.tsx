import type { JobTransition, PrinterState } from '../../../../electron/core/printers/model';
import { formatDuration } from '../../components/format';

type ActiveJob = Extract<PrinterState, { kind: 'printing' | 'paused' }>;

const TRANSITION_TITLE: Record<JobTransition, string> = { pausing: 'Pausing', resuming: 'Resuming', cancelling: 'Cancelling' };

/** The running print: progress, time, and the three controls an operator needs. */
/** `controls` null: the session may watch the print but not control it (a viewer). */
export function JobPanel({ state, now, controls }: { state: ActiveJob; now: number; controls: { onPause: () => void; onResume: () => void; onCancel: () => void } | null }) {
  const { job } = state;
  const percent = Math.min(100, Math.max(0, job.fraction * 100));
  // While a pause, resume or cancel script runs, the buttons wait: pressing them again would only queue up.
  const transition = state.phase;
  const title = transition ? TRANSITION_TITLE[transition] : state.kind === 'paused' ? 'Paused' : 'Printing';
  return (
    <div className="panel job-panel" data-testid="job-panel">
      <div className="row spread">
        <h2 data-testid="job-title">
          {title}: {job.fileName}
        </h2>
        <span className="mono" data-testid="job-percent">
          {percent.toFixed(1)} %
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)}>
        <div className="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <dl className="facts">
        <dt>Elapsed</dt>
        <dd>{formatDuration((now - job.startedAt) / 1000)}</dd>
        <dt>Remaining</dt>
        <dd>{job.remainingSeconds === null ? 'estimating…' : formatDuration(job.remainingSeconds)}</dd>
        <dt>Lines</dt>
        <dd>
          {job.linesSent.toLocaleString()}
          {job.linesTotal !== null ? ` of ${job.linesTotal.toLocaleString()}` : ''}
        </dd>
      </dl>
      {controls && (
        <div className="row">
          {state.kind === 'paused' ? (
            <button type="button" className="btn" onClick={controls.onResume} disabled={!!transition}>
              Resume
            </button>
          ) : (
            <button type="button" className="btn" onClick={controls.onPause} disabled={!!transition}>
              Pause
            </button>
          )}
          <button type="button" className="btn btn-danger" onClick={controls.onCancel} disabled={transition === 'cancelling'}>
            Cancel print
          </button>
        </div>
      )}
    </div>
  );
}
