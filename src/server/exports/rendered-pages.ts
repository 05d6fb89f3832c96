/**
 * Export pages rendered once per data version: kept by bytes (least recently used dropped first), requests for a page
 * being rendered wait for that one rendering, and only a few pages render at a time, so that many different pages
 * asked for at once hold a few pages' memory, not one each.
 */

/** A page rendered once: its body and what its headers say. */
export interface RenderedPage {
  body: Buffer;
  total: number;
  nextAfter: string | null;
}

/** How many pages are kept and rendered. */
export interface RenderedPagesLimits {
  /** Most bytes of rendered pages kept; 0 keeps none. */
  maxBytes: number;
  /** Most pages rendered at the same time; others wait their turn. */
  maxRendering: number;
}

/** Rendered pages of the current data version, by request. */
export class RenderedPages {
  private version = '';
  private readonly pages = new Map<string, RenderedPage>();
  private bytes = 0;
  /** Renderings under way, by request, so that a page asked for twice at once renders once. */
  private readonly rendering = new Map<string, Promise<RenderedPage>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: RenderedPagesLimits) {}

  /** The page `key` of data `version`: kept, being rendered, or rendered now by `render` (once its turn comes). */
  get(version: string, key: string, render: () => Promise<RenderedPage>): Promise<RenderedPage> {
    if (version !== this.version) this.clear(version);
    const kept = this.pages.get(key);
    if (kept) {
      this.pages.delete(key);
      this.pages.set(key, kept);
      return Promise.resolve(kept);
    }
    const underWay = this.rendering.get(key);
    if (underWay) return underWay;
    const rendered = this.inTurn(render).then((page) => {
      if (this.version === version) this.keep(key, page);
      return page;
    });
    const forget = () => this.rendering.get(key) === rendered && this.rendering.delete(key);
    rendered.then(forget, forget);
    this.rendering.set(key, rendered);
    return rendered;
  }

  /** How many bytes of pages are kept. */
  get keptBytes(): number {
    return this.bytes;
  }

  /** Pages of an older version are never answered again: dropped, with the renderings under way for them. */
  private clear(version: string): void {
    this.version = version;
    this.pages.clear();
    this.rendering.clear();
    this.bytes = 0;
  }

  private keep(key: string, page: RenderedPage): void {
    if (page.body.length > this.limits.maxBytes) return;
    this.pages.set(key, page);
    this.bytes += page.body.length;
    for (const [oldest, old] of this.pages) {
      if (this.bytes <= this.limits.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= old.body.length;
    }
  }

  /** Runs `render` when fewer than `maxRendering` renderings are running. */
  private async inTurn<T>(render: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.maxRendering) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the slot is handed over, still counted
    try {
      return await render();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
