import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { AppError } from '@aigw/errors';
import { sendClientError } from './client-responses.js';

/** Where the web console is served. */
export const CONSOLE_PATH = '/ui';

/**
 * The console's build output as this module finds it: `console/dist` at the repository root (or /app in the
 * image), the same depth from src/http (tsx) and dist/http (built).
 */
export function defaultConsoleDir(): string {
  return fileURLToPath(new URL('../../../../console/dist', import.meta.url));
}

// Vite names built assets `<name>-<hash>.<ext>`: their content never changes under one name.
const HASHED_ASSET = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

function securityHeaders(res: Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * The web console: static files of its build under /ui, every other /ui path answered with index.html (the
 * single-page app routes in the browser). Hashed assets are cached for a year, index.html never. The files
 * hold no data: the console asks the admin API for everything, with the admin token the operator types in.
 */
export function consoleRoutes(distDir: string): Router {
  const router = Router();
  const index = join(distDir, 'index.html');
  const sendIndex = (res: Response) => {
    if (!existsSync(index)) {
      sendClientError(res, 'openai', new AppError('NOT_FOUND', `the web console is not built (no ${index}): run npm run build`));
      return;
    }
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  // Routes are not strict: this also sees /ui/, which it passes on.
  router.get(CONSOLE_PATH, (req, res, next) => (req.path === CONSOLE_PATH ? res.redirect(301, `${CONSOLE_PATH}/`) : next()));
  router.use(
    CONSOLE_PATH,
    express.static(distDir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        securityHeaders(res);
        res.setHeader('Cache-Control', HASHED_ASSET.test(path.replaceAll('\\', '/')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  // A missing asset is a 404, not the app: a stale page asking for an old hash must not get HTML as script.
  router.get(`${CONSOLE_PATH}/assets/*rest`, (req, res) => sendClientError(res, 'openai', new AppError('NOT_FOUND', `no console asset ${req.path}`)));
  router.get(`${CONSOLE_PATH}/*rest`, (_req, res) => sendIndex(res));
  router.get(`${CONSOLE_PATH}/`, (_req, res) => sendIndex(res));
  return router;
}
