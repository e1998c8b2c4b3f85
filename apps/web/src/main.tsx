// Browser entry point: mounts the SPA into index.html's #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/index.tsx';
import './styles.css';

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element to mount Takt into');

createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
