import { EmptyState } from '../../components/EmptyState';

export function JobsScreen() {
  return (
    <section className="screen" aria-labelledby="jobs-title">
      <header className="screen-head">
        <h1 id="jobs-title">Jobs</h1>
      </header>
      <EmptyState title="The job queue is not built yet">One queue for the whole farm, dispatching to idle, compatible printers with a bed-clear check between prints, is the next large piece of work.</EmptyState>
    </section>
  );
}
