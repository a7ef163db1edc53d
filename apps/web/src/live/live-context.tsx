import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { createLiveFeed, type LiveFeed, type LiveState, type LiveView } from './live-feed';

const LiveContext = createContext<LiveFeed | null>(null);

/** One feed per signed-in session. */
export function LiveProvider({ token, children }: { token: string; children: ReactNode }) {
  const [feed, setFeed] = useState<LiveFeed | null>(null);
  useEffect(() => {
    const created = createLiveFeed(token);
    setFeed(created);
    return () => created.close();
  }, [token]);
  return <LiveContext.Provider value={feed}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  const feed = useContext(LiveContext);
  const [state, setState] = useState<LiveState>(feed?.state ?? 'connecting');
  useEffect(() => {
    if (!feed) return;
    setState(feed.state);
    return feed.onStateChange(setState);
  }, [feed]);
  return state;
}

/** Calls `refresh` whenever `view` may have changed (socket update or poll tick). */
export function useLiveView(view: LiveView, refresh: () => void): void {
  const feed = useContext(LiveContext);
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => feed?.subscribe(view, () => latest.current()), [feed, view]);
}
