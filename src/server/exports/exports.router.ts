/**
 * `/exports/*`: the events matching a filter, a page at a time, as TimelineJS JSON, GeoJSON or iCalendar, cacheable
 * and open to the origins CORS_ORIGINS allows. A page holds `limit` events (default and most are settings); the
 * `Link: <...>; rel="next"` header gives the next page's URL and `X-Total-Count` how many match. Rendered pages are
 * kept per data version (bounded by bytes) and written in chunks as the client reads them.
 */
import cors, { type CorsOptions } from 'cors';
import express, { type Request, type Response } from 'express';
import type { Event } from '../../data/dataset';
import { InvalidArgumentError } from '../../store/errors';
import type { EventStore } from '../../store/event-store';
import { canonicalJson, entityTag, ifNoneMatchMatches } from '../http-cache/entity-tag';
import { parameterMessage, parameterOf, parseExportFilter, parseExportPage } from './export-filter';
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
}

/** Bytes written to the socket at a time. */
const CHUNK = 64 * 1024;

/** A page rendered once: its body and the headers that go with it. */
interface RenderedPage {
  body: Buffer;
  total: number;
  nextAfter: string | null;
}

/** Rendered pages by request, least recently used first, bounded by bytes. */
class PageCache {
  private readonly pages = new Map<string, RenderedPage>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): RenderedPage | undefined {
    const page = this.pages.get(key);
    if (page) {
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: RenderedPage): void {
    if (page.body.length > this.maxBytes) return;
    this.pages.set(key, page);
    this.bytes += page.body.length;
    for (const [oldest, old] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= old.body.length;
    }
  }
}

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

/** Builds the router mounted at `/exports`; answers are public for `maxAgeSeconds` and tagged by data version and URL. */
export function createExportsRouter(store: EventStore, options: ExportOptions): express.Router {
  const router = express.Router();
  const cache = new PageCache(options.cacheBytes ?? 64 * 1024 * 1024);
  router.use(cors(options.cors));
  for (const [file, format] of Object.entries(EXPORT_FORMATS)) {
    router.get(`/${file}`, (req: Request, res: Response) => {
      const query = req.query as Record<string, unknown>;
      const key = canonicalJson({ file, query });
      let page = cache.get(key);
      if (!page) {
        try {
          const { limit, after } = parseExportPage(query, options);
          const found = store.query(parseExportFilter(query), { field: 'DATE', direction: 'ASC' }, { first: limit, after }, options.maxLimit);
          const events = found.edges.map((e) => e.node);
          page = { body: Buffer.from(format.render(events, store)), total: found.totalCount, nextAfter: found.pageInfo.hasNextPage ? found.pageInfo.endCursor : null };
        } catch (err) {
          if (!(err instanceof InvalidArgumentError)) throw err;
          const named = new InvalidArgumentError(err.argument === 'first' ? 'limit' : err.argument, err.message.slice(err.argument.length + 2));
          res.status(400).set('Cache-Control', 'no-store').json({ error: { parameter: parameterOf(named), message: parameterMessage(named) } });
          return;
        }
        cache.set(key, page);
      }
      const etag = entityTag(store.version, key);
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
