import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Provider } from 'urql';
import { useSession } from '../auth/session';
import { createOrderlyClient, endpointsFor, type ConnectionStatus, type OrderlyClient } from './client';

const ConnectionContext = createContext<ConnectionStatus>('idle');

/** Where the live connection stands: idle (nothing to follow), connecting, connected or reconnecting. */
export function useConnectionStatus(): ConnectionStatus {
  return useContext(ConnectionContext);
}

/**
 * Owns the GraphQL client of the current session. Signing in or out replaces
 * the client, which drops every cached result and reopens the websocket with
 * the new credentials.
 */
export function ApiProvider({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const token = session?.token ?? null;
  const [api, setApi] = useState<{ token: string | null; value: OrderlyClient } | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('idle');

  useEffect(() => {
    const created = createOrderlyClient({
      token,
      ...endpointsFor(window.location),
      onStatus: setStatus,
      onUnauthorized: signOut,
    });
    // The client owns a websocket: it is made and disposed by the same effect
    // (StrictMode replays effects), so it reaches render through state.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setApi({ token, value: created });
    setStatus('idle');
    return created.dispose;
  }, [token, signOut]);

  // Until the effect has made this session's client, render nothing rather
  // than let the previous session's client (and cache) serve a frame.
  if (!api || api.token !== token) return null;
  return (
    <ConnectionContext value={status}>
      <Provider value={api.value.client}>{children}</Provider>
    </ConnectionContext>
  );
}
