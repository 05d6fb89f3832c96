/**
 * The editors file (setting EDITORS_FILE): each editor's name and the SHA-256 of their token, never the token itself.
 *
 * ```json
 * { "editors": [{ "name": "Night desk", "tokenSha256": "9f86d0…", "createdAt": "2026-12-02T01:30:00.000Z" }] }
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** One editor: a name recorded in every revision they make, and the hash of their token. */
export interface EditorEntry {
  name: string;
  /** SHA-256 of the token, 64 lower-case hex digits. */
  tokenSha256: string;
  /** When the token was made (RFC 3339). */
  createdAt: string;
}

/** Bytes of randomness in a new token (256 bits). */
export const TOKEN_BYTES = 32;

/** The editors file is wrong; the message names the file, the entry and the field. */
export class EditorsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditorsFileError';
  }
}

/** SHA-256 of a token, as hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token: {@link TOKEN_BYTES} bytes from the system's CSPRNG, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Checks a parsed editors file; every problem is listed, each with where it is. */
export function parseEditors(text: string, file: string): EditorEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new EditorsFileError(`${file}: not valid JSON (${(err as Error).message}); create it with npm run editor -- --name "Your name"`);
  }
  const list = (value as { editors?: unknown } | null)?.editors;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(list)) {
    throw new EditorsFileError(`${file}: must be an object with an "editors" list, e.g. {"editors": []}`);
  }
  const problems: string[] = [];
  const names = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const e = (entry ?? {}) as Partial<Record<keyof EditorEntry, unknown>>;
    const where = `${file}: editors[${i}]`;
    if (typeof e.name !== 'string' || !e.name.trim() || e.name.length > 100) problems.push(`${where}.name: must be a name of 1 to 100 characters`);
    else if (names.has(e.name)) problems.push(`${where}.name: "${e.name}" is listed twice; each editor has one entry`);
    else names.add(e.name);
    if (typeof e.tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.tokenSha256)) problems.push(`${where}.tokenSha256: must be the SHA-256 of the token as 64 lower-case hex digits`);
  });
  if (problems.length) throw new EditorsFileError(problems.join('\n'));
  return list as EditorEntry[];
}

/** Reads and checks the editors file. */
export function readEditors(file: string): EditorEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EditorsFileError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); create it with npm run editor -- --name "Your name"`);
  }
  return parseEditors(text, file);
}

/** Writes the editors file atomically (temporary file in the same folder, fsync, rename), readable by its owner only. */
export function writeEditors(file: string, editors: EditorEntry[]): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ editors }, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
