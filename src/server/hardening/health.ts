/** `GET /healthz` (the process answers) and `GET /readyz` (the data is loaded and the server is not stopping). */
import { Router } from 'express';
import type { EventStore } from '../../store/event-store';

/** The two probe routes; `isStopping` turns readiness off while requests drain. */
export function healthRoutes(store: EventStore, isStopping: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (isStopping()) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    res.json({ status: 'ready', dataVersion: store.version, ...store.counts });
  });
  return router;
}
