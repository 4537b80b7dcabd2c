import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api';
import { App } from './App';
import { createAppStore } from './store/app-store';
import { AppProvider } from './store/context';
import './styles.css';

const app = createAppStore(connectApi());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider app={app}>
      <App />
    </AppProvider>
  </StrictMode>,
);
