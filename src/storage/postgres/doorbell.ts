/**
 * The doorbell: one dedicated connection LISTENing for the newest `seq`. It only says "look at the log"; what is
 * applied is always read from the log. A lost connection is reopened with backoff, and each (re)connection rings,
 * so that whatever was committed meanwhile is caught up.
 */
import { Client } from 'pg';
import { CHANGES_CHANNEL } from './change-log';

/** Where the doorbell reports; pino's logger fits. */
export interface FollowerLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  /** The phases of each commit and record read (pino's logger at LOG_LEVEL=debug; bench:replicas reads them). */
  debug?(details: object, message: string): void;
}

/** Reconnection waits double from the first to the last, with some jitter. */
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;

/** Keeps a LISTEN connection open and calls `ring` with each announced `seq` (0 after each (re)connection). */
export class Doorbell {
  private client: Client | null = null;
  private retries = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly ring: (seq: number) => void,
    private readonly log: FollowerLog,
  ) {}

  /** Connects; resolves once listening (or rejects with the first connection's error, after which it keeps trying). */
  start(): Promise<void> {
    return this.connect();
  }

  /** Whether the LISTEN connection is up. */
  get connected(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000, keepAlive: true });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => undefined);
      if (!this.closed) {
        this.log.warn({ err: err?.message }, 'change follower lost its database connection; reconnecting');
        this.retry();
      }
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => this.ring(Number(n.payload) || 0));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      onLost(err as Error);
      throw err;
    }
    if (this.closed || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    if (this.retries) this.log.info({ attempts: this.retries }, 'change follower reconnected; catching up');
    this.retries = 0;
    this.client = client;
    this.ring(0);
  }

  private retry(): void {
    if (this.timer || this.closed) return;
    const wait = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** this.retries++) * (0.75 + Math.random() / 2);
    this.timer = setTimeout(() => this.connect().catch(() => undefined), wait);
    this.timer.unref();
  }

  /** Stops listening and reconnecting. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
