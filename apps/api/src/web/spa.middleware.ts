// Serves the built SPA. Assets are fingerprinted by Vite, so they are cached for a year as immutable, and sent as
// their brotli or gzip twin (written at build time) when the browser accepts it; a missing asset is a 404, never
// the SPA shell. index.html answers every other GET (client-side routes survive a reload) and is revalidated on
// each load, so that a new build is picked up at once. Source maps are never served.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { AppError } from '../http/app-error.ts';

const ASSET_CACHE = { immutable: true, maxAge: '1y' } as const;

/** The precompressed twins the build wrote, by encoding, best first. */
const ENCODINGS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('NOT_FOUND', 'Not found', { detail: `No file ${req.originalUrl}.` }));
}

/** Sends `name.br` or `name.gz` from `assetsDir` when the request accepts that encoding and the build wrote it. */
function precompressedAssets(assetsDir: string) {
  // The build is fixed while the server runs: read once which twins exist, and serve only those names.
  const files = new Set(existsSync(assetsDir) ? readdirSync(assetsDir) : []);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.vary('Accept-Encoding');
    const name = req.path.slice(1);
    if (req.headers['accept-encoding'] === undefined || name.includes('/')) return next();
    // Our preference (brotli is smaller), among the encodings the browser accepts at all.
    const twin = ENCODINGS.find(
      (candidate) =>
        req.acceptsEncodings(candidate.encoding) === candidate.encoding && files.has(`${name}${candidate.suffix}`),
    );
    if (twin === undefined || !files.has(name)) return next();
    res.setHeader('Content-Encoding', twin.encoding);
    // The type of the original file, not of its .br/.gz twin.
    res.type(path.extname(name));
    res.sendFile(path.join(assetsDir, `${name}${twin.suffix}`), ASSET_CACHE, (error) => {
      if (error !== undefined) next(error);
    });
  };
}

export function spaRouter(distDir: string): Router {
  const router = express.Router();
  const indexHtml = path.join(distDir, 'index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(`The web app is not built: ${indexHtml} is missing. Run "npm run build".`);
  }
  const assetsDir = path.join(distDir, 'assets');
  router.get(/\.map$/, notFound);
  router.use('/assets', precompressedAssets(assetsDir), express.static(assetsDir, ASSET_CACHE), notFound);
  router.use(express.static(distDir, { index: false }));
  router.get('/{*splat}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
