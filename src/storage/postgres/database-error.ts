/**
 * What is said about DATABASE_URL when something goes wrong: the URL with its password replaced by `***`, and the
 * reason, never the password. Loads nothing from `pg`, so that the start can tell this error apart cheaply.
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Query parameters that carry a secret (libpq and node-postgres read them as well as the `user:password@` part). */
const SECRET_PARAMS = /([?&](?:password|sslpassword)=)([^&#]*)/gi;

/**
 * Where the password of `url` lies: from the first `:` after the scheme to the last `@`. Read from the text, not a
 * parse, so that a URL too broken to parse (a password with an unencoded `@`, `/`, `?` or `#`) is covered too; with
 * no password, a `host:port` followed by an `@` further on is taken for one, which is the safe mistake.
 */
function passwordSpan(url: string): [number, number] | null {
  const start = SCHEME.exec(url)?.[0].length ?? 0;
  const at = url.lastIndexOf('@');
  const colon = url.indexOf(':', start);
  return colon >= 0 && colon < at ? [colon + 1, at] : null;
}

/** `url` with any password replaced by `***`: `postgres://user:***@host:5432/db`. */
export function redactUrl(url: string): string {
  const span = passwordSpan(url);
  const out = span ? `${url.slice(0, span[0])}***${url.slice(span[1])}` : url;
  return out.replace(SECRET_PARAMS, '$1***');
}

/** The secrets of `url`, as written and percent-decoded. */
function secretsOf(url: string): string[] {
  const span = passwordSpan(url);
  const written = [span ? url.slice(...span) : '', ...[...url.matchAll(SECRET_PARAMS)].map((m) => m[2])];
  const decoded = written.map((secret) => {
    try {
      return decodeURIComponent(secret);
    } catch {
      return secret;
    }
  });
  return [...new Set([...written, ...decoded])].filter((secret) => secret.length > 0);
}

/** `text` with every appearance of `url`'s password replaced by `***` (for messages that come from elsewhere). */
export function withoutSecrets(text: string, url: string): string {
  return secretsOf(url).reduce((out, secret) => out.split(secret).join('***'), text);
}

/** The database of DATABASE_URL could not be used; the message names it (redacted) and says why. */
export class DatabaseError extends Error {
  constructor(url: string, cause: unknown) {
    super(`DATABASE_URL=${JSON.stringify(redactUrl(url))}: ${withoutSecrets(reasonOf(cause), url)}`);
    this.name = 'DatabaseError';
  }
}

/** What went wrong, in words: a system error's code is spelled out where people meet it often. */
function reasonOf(cause: unknown): string {
  const err = cause as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  if (err?.code === 'ECONNREFUSED') return `nothing answers at ${err.address ?? '?'}:${err.port ?? '?'} (is PostgreSQL running there, on that port?)`;
  if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') return `its host ${JSON.stringify(err.hostname ?? '')} cannot be resolved to an address`;
  if (err instanceof TypeError && /Invalid URL/.test(err.message)) return 'it is not a valid connection string (check the host and port; encode @ : / ? # and % in a password as %40 %3A %2F %3F %23 %25)';
  return err instanceof Error ? err.message : String(cause);
}
