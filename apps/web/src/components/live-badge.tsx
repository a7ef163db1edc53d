import { useLiveState } from '../live/live-context';
import { POLL_INTERVAL_MS } from '../live/live-feed';

const TEXT = {
  connecting: { label: 'connecting', title: 'Connecting to the live feed' },
  live: { label: 'live', title: 'Changes arrive as they happen' },
  polling: { label: 'polling', title: `No live feed yet: screens refresh every ${POLL_INTERVAL_MS / 1000} s` },
  offline: { label: 'offline', title: 'No connection: figures may be out of date' },
};

/** The feed's state in the header: live (socket.io), polling (every 5 s) or offline. */
export function LiveBadge() {
  const state = useLiveState();
  return (
    <span
      className={`live-badge live-badge--${state}`}
      role="status"
      title={TEXT[state].title}
      data-testid="live-badge"
      data-state={state}
    >
      <span className="live-badge__dot" aria-hidden="true" />
      {TEXT[state].label}
    </span>
  );
}
