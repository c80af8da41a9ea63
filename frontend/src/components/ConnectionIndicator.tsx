import { useConnectionStatus } from '../api/ApiProvider';
import type { ConnectionStatus } from '../api/client';

const LABELS: Record<ConnectionStatus, string> = {
  idle: 'Live updates off',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
};

/** Says whether live updates are flowing; announced politely when it changes. */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  return (
    <span role="status" aria-label={`Live connection: ${LABELS[status]}`} className={`conn conn--${status}`}>
      <span className="conn__dot" aria-hidden="true" />
      <span className="conn__label">{LABELS[status]}</span>
    </span>
  );
}
