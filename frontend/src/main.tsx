import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiProvider } from './api/ApiProvider';
import { App } from './App';
import { SessionProvider } from './auth/session';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <ApiProvider>
          <App />
        </ApiProvider>
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
