/** `/exports/*`: every event matching a filter, as TimelineJS JSON, GeoJSON or iCalendar, cacheable and open to any origin. */
import cors from 'cors';
import express, { type Request, type Response } from 'express';
import type { Event } from '../../data/dataset';
import { InvalidArgumentError } from '../../store/errors';
import type { EventStore } from '../../store/event-store';
import { canonicalJson, entityTag, ifNoneMatchMatches } from '../http-cache/entity-tag';
import { parameterMessage, parameterOf, parseExportFilter } from './export-filter';
import { toGeoJson } from './geojson';
import { toICalendar } from './icalendar';
import { toTimelineJs } from './timelinejs';

interface ExportFormat {
  contentType: string;
  render(events: Event[], store: EventStore): string;
}

/** The formats, by file name under `/exports/`. */
export const EXPORT_FORMATS: Record<string, ExportFormat> = {
  'timelinejs.json': { contentType: 'application/json; charset=utf-8', render: (events, store) => JSON.stringify(toTimelineJs(events, store)) },
  'events.geojson': { contentType: 'application/geo+json; charset=utf-8', render: (events, store) => JSON.stringify(toGeoJson(events, store)) },
  'events.ics': { contentType: 'text/calendar; charset=utf-8', render: (events, store) => toICalendar(events, store) },
};

/** Builds the router mounted at `/exports`; answers are public for `maxAgeSeconds` and tagged by data version and URL. */
export function createExportsRouter(store: EventStore, maxAgeSeconds: number): express.Router {
  const router = express.Router();
  router.use(cors());
  for (const [file, format] of Object.entries(EXPORT_FORMATS)) {
    router.get(`/${file}`, (req: Request, res: Response) => {
      let events: Event[];
      try {
        events = store.all(parseExportFilter(req.query as Record<string, unknown>));
      } catch (err) {
        if (!(err instanceof InvalidArgumentError)) throw err;
        res.status(400).set('Cache-Control', 'no-store').json({ error: { parameter: parameterOf(err), message: parameterMessage(err) } });
        return;
      }
      const etag = entityTag(store.version, canonicalJson({ file, query: req.query }));
      res.set({ ETag: etag, 'Cache-Control': `max-age=${maxAgeSeconds}, public` });
      if (ifNoneMatchMatches(req.get('if-none-match'), etag)) {
        res.status(304).end();
        return;
      }
      res.type(format.contentType).send(format.render(events, store));
    });
  }
  return router;
}
