import { useAppState } from '../store/context';

/** Always visible: whether the UI is talking to the core right now. */
export function ConnectionBadge() {
  const connection = useAppState((s) => s.connection);
  const [label, tone, title] =
    connection.kind === 'open'
      ? ['Connected', 'ok', 'Live updates are flowing from the farm host.']
      : connection.kind === 'connecting'
        ? ['Connecting…', 'warn', 'Reaching the farm host.']
        : ['Disconnected', 'bad', connection.reason];
  return (
    <div className={`connection connection-${tone}`} title={title} data-testid="connection-state" data-state={connection.kind} role="status">
      <span className="dot" aria-hidden="true" />
      {label}
    </div>
  );
}
