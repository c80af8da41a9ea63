import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { Provider, type Client } from 'urql';
import { SessionProvider } from '../auth/session';

/** Renders a page at a route, signed in, with a mock urql client. */
export function renderPage(ui: ReactElement, { client, path = '/', route = '/' }: { client: Client; path?: string; route?: string }) {
  window.localStorage.setItem('orderly.session', JSON.stringify({ token: 'test-token', expiresAt: null }));
  return render(
    <MemoryRouter initialEntries={[route]}>
      <SessionProvider>
        <Provider value={client}>
          <Routes>
            <Route path={path} element={ui} />
          </Routes>
        </Provider>
      </SessionProvider>
    </MemoryRouter>,
  );
}
