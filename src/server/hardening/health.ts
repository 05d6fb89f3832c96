/**
 * `GET /healthz` (the process answers) and `GET /readyz` (the data is loaded, current with the shared database when
 * there is one, and the server is not stopping).
 */
import { Router } from 'express';
import type { EventStore } from '../../store/event-store';

/** Whether the data is current (a replica following a shared database may fall behind), with details for the probe. */
export type Readiness = () => { ready: boolean };

/** The two probe routes; `isStopping` turns readiness off while requests drain, `readiness` while the data lags. */
export function healthRoutes(store: EventStore, isStopping: () => boolean, readiness?: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (isStopping()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const current = readiness?.();
    if (current && !current.ready) {
      res.status(503).json({ status: 'behind', ...current });
      return;
    }
    res.json({ status: 'ready', dataVersion: store.version, ...store.counts, ...current });
  });
  return router;
}
