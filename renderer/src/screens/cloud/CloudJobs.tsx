import { useAppState } from '../../store/context';
import { statePillClass } from '../jobs/job-filters';
import { useJobs } from '../jobs/use-farm';

/** How many cloud jobs the Cloud screen lists; the Jobs screen has them all. */
const SHOWN = 20;

/**
 * The jobs the cloud sent this hub, newest first, with the cloud's job id beside the local state: what an
 * operator checks when the cloud and the farm seem to disagree.
 */
export function CloudJobs() {
  const { jobs, loaded } = useJobs();
  const printers = useAppState((s) => s.printers);
  const fromCloud = [...jobs.values()]
    .filter((j) => j.cloud !== null)
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, SHOWN);
  return (
    <section aria-labelledby="cloud-jobs-title">
      <h2 id="cloud-jobs-title">Jobs from the cloud</h2>
      {loaded && fromCloud.length === 0 ? (
        <p className="muted">None yet. Jobs the cloud starts on a published printer, or offers to this hub, appear here and in Jobs.</p>
      ) : (
        <ul style={{ listStyle: 'none', padding: 0 }} data-testid="cloud-jobs">
          {fromCloud.map((job) => (
            <li key={job.id} className="row" style={{ gap: 12, padding: '6px 0' }} data-testid="cloud-job" data-cloud-job-id={job.cloud!.jobId}>
              <span className={statePillClass(job.state)}>{job.state}</span>
              <span style={{ fontWeight: 600 }}>{job.fileName}</span>
              <span className="muted">
                {job.printerId ? (printers[job.printerId]?.name ?? 'a removed printer') : 'waiting for a printer'} · cloud job {job.cloud!.jobId}
                {job.cloud!.priority !== undefined ? ` · cloud priority ${job.cloud!.priority}` : ''}
                {job.reason ? ` · ${job.reason}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
