/**
 * `/exports/*`: the events matching a filter, a page at a time, as TimelineJS JSON, GeoJSON or iCalendar, cacheable
 * and open to the origins CORS_ORIGINS allows. A page holds `limit` events (default and most are settings); the
 * `Link: <...>; rel="next"` header gives the next page's URL and `X-Total-Count` how many match. Pages are rendered a
 * slice at a time (the event loop gets turns meanwhile), kept per data version (bounded by bytes), and written in
 * chunks as the client reads them.
 */
import cors, { type CorsOptions } from 'cors';
import express, { type Request, type Response } from 'express';
import { InvalidArgumentError } from '../../store/errors';
import type { EventStore } from '../../store/event-store';
import { canonicalJson, entityTag, ifNoneMatchMatches } from '../http-cache/entity-tag';
import { parameterMessage, parameterOf, parseExportFilter, parseExportPage } from './export-filter';
import { renderInSlices, type ExportFormat, type SliceLimits } from './export-format';
import { geoJsonWriter } from './geojson';
import { iCalendarWriter } from './icalendar';
import { RenderedPages, type RenderedPage } from './rendered-pages';
import { timelineJsWriter } from './timelinejs';

/** The formats, by file name under `/exports/`; each writes a page one event at a time (see `export-format.ts`). */
export const EXPORT_FORMATS: Record<string, ExportFormat> = {
  'timelinejs.json': { contentType: 'application/json; charset=utf-8', begin: (events, store) => timelineJsWriter(events, store) },
  'events.geojson': { contentType: 'application/geo+json; charset=utf-8', begin: (_events, store) => geoJsonWriter(store) },
  'events.ics': { contentType: 'text/calendar; charset=utf-8', begin: (_events, store, exportedAt) => iCalendarWriter(store, exportedAt) },
};

/** How exports page, cache and share. */
export interface ExportOptions {
  /** Seconds caches may keep an answer. */
  maxAgeSeconds: number;
  /** Events per page when `limit` is not given, and the most `limit` may ask for. */
  defaultLimit: number;
  maxLimit: number;
  /** Browser origins allowed (see `corsOptions`). */
  cors: CorsOptions;
  /** Most bytes of rendered pages kept (default 64 MB); 0 keeps none. */
  cacheBytes?: number;
  /** Most pages rendered at once (default 2); further requests for other pages wait. */
  maxRendering?: number;
  /** How much of a page is written between turns of the event loop (default `DEFAULT_SLICES` of `export-format.ts`). */
  slices?: SliceLimits;
}

/** Bytes written to the socket at a time. */
const CHUNK = 64 * 1024;

/** Writes `body` in {@link CHUNK}s, each after the socket has taken the one before. */
function writeInChunks(res: Response, body: Buffer): void {
  let offset = 0;
  const next = () => {
    while (offset < body.length) {
      const chunk = body.subarray(offset, offset + CHUNK);
      offset += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', next);
        return;
      }
    }
    res.end();
  };
  res.once('close', () => res.off('drain', next));
  next();
}

/** The URL of the page after the one `req` asked for. */
function nextUrl(req: Request, after: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) {
    if (name === 'after') continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') params.append(name, v);
  }
  params.set('after', after);
  return `${req.baseUrl}${req.path}?${params}`;
}

/** Renders the page `query` asks for in `format`, a slice at a time; throws the store's InvalidArgumentError for a bad parameter. */
async function renderPage(store: EventStore, format: ExportFormat, query: Record<string, unknown>, options: ExportOptions): Promise<RenderedPage> {
  const { limit, after } = parseExportPage(query, options);
  const found = store.query(parseExportFilter(query), { field: 'DATE', direction: 'ASC' }, { first: limit, after }, options.maxLimit);
  const events = found.edges.map((e) => e.node);
  const body = await renderInSlices(format.begin(events, store, new Date()), events, options.slices);
  return { body, total: found.totalCount, nextAfter: found.pageInfo.hasNextPage ? found.pageInfo.endCursor : null };
}

/** Answers a bad parameter with 400, naming it (`limit` for the store's `first`). */
function refuse(res: Response, err: InvalidArgumentError): void {
  const named = new InvalidArgumentError(err.argument === 'first' ? 'limit' : err.argument, err.message.slice(err.argument.length + 2));
  res.status(400).set('Cache-Control', 'no-store').json({ error: { parameter: parameterOf(named), message: parameterMessage(named) } });
}

/**
 * Builds the router mounted at `/exports`; answers are public for `maxAgeSeconds` and tagged by data version and URL.
 * Pages are rendered in slices and kept per data version (see `rendered-pages.ts`).
 */
export function createExportsRouter(store: EventStore, options: ExportOptions): express.Router {
  const router = express.Router();
  const pages = new RenderedPages({ maxBytes: options.cacheBytes ?? 64 * 1024 * 1024, maxRendering: options.maxRendering ?? 2 });
  router.use(cors(options.cors));
  for (const [file, format] of Object.entries(EXPORT_FORMATS)) {
    router.get(`/${file}`, async (req: Request, res: Response) => {
      const query = req.query as Record<string, unknown>;
      const key = canonicalJson({ file, query });
      const version = store.version;
      let page: RenderedPage;
      try {
        page = await pages.get(version, key, () => renderPage(store, format, query, options));
      } catch (err) {
        if (!(err instanceof InvalidArgumentError)) throw err;
        return refuse(res, err);
      }
      const etag = entityTag(version, key);
      res.set({ ETag: etag, 'Cache-Control': `max-age=${options.maxAgeSeconds}, public`, 'X-Total-Count': String(page.total) });
      if (page.nextAfter) res.set('Link', `<${nextUrl(req, page.nextAfter)}>; rel="next"`);
      if (ifNoneMatchMatches(req.get('if-none-match'), etag)) {
        res.status(304).end();
        return;
      }
      res.type(format.contentType).set('Content-Length', String(page.body.length));
      writeInChunks(res, page.body);
    });
  }
  return router;
}
