// Serves the built SPA: static assets with long caching (Vite fingerprints them), and index.html for
// every other GET so that client-side routes survive a reload.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

export function spaRouter(distDir: string): Router {
  const router = express.Router();
  const indexHtml = path.join(distDir, 'index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(`The web app is not built: ${indexHtml} is missing. Run "npm run build".`);
  }
  router.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(distDir, { index: false }));
  router.get('/{*splat}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
