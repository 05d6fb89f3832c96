/** Serves the timeline page at `/` from the assets the build step writes (`npm run build` -> dist/public). */
import express from 'express';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where `npm run build` puts the page; the same path from src/ (tests) and from dist/ (production). */
export const DEFAULT_PAGE_DIR = path.resolve(__dirname, '../../../dist/public');

/**
 * Serves `index.html`, the script and the stylesheet in `pageDir`; says how to build them when they are missing.
 * In production the script's source map (which holds every source) is not served.
 */
export function createPageRouter(pageDir: string = DEFAULT_PAGE_DIR, { production = false }: { production?: boolean } = {}): express.Router {
  const router = express.Router();
  if (production) router.get(/\.map$/, (_req, _res, next) => next('router'));
  // Browsers ask for /favicon.ico on every page (the timeline page, the playground); there is no icon, and a 204
  // says so without the 404 that shows as an error in every console.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).set('Cache-Control', 'max-age=86400, public').end();
  });
  router.get('/', (_req, res, next) => {
    if (existsSync(path.join(pageDir, 'index.html'))) return next();
    res
      .status(503)
      .type('text/plain')
      .send(`The timeline page is not built: run "npm run build" (it writes ${pageDir}). The API is at /graphql.`);
  });
  router.use(express.static(pageDir, { index: 'index.html', maxAge: '5m', fallthrough: true }));
  return router;
}
