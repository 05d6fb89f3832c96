/**
 * `npm run editor -- --name "Night desk"`: gives an editor a new token. The token (32 random bytes) is printed once,
 * alone on stdout; the editors file (EDITORS_FILE, or --file) keeps only its SHA-256. A running server picks the
 * change up within a second. `--replace` gives an existing editor a new token (the old one stops working);
 * `--revoke` removes an editor.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { EditorsFileError, newToken, readEditors, tokenHash, writeEditors, type EditorEntry } from '../server/auth/editors-file';

const USAGE = 'usage: npm run editor -- --name "Night desk" [--file editors.json] [--replace | --revoke]';

/** Runs the command on `argv` (without node and the script); returns the exit code. */
export function runEditorCommand(argv: string[], env: NodeJS.ProcessEnv, out: (text: string) => void, err: (text: string) => void): number {
  let values: { name?: string; file?: string; replace?: boolean; revoke?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { name: { type: 'string' }, file: { type: 'string' }, replace: { type: 'boolean' }, revoke: { type: 'boolean' } } }));
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const name = values.name?.trim();
  const file = values.file ?? env.EDITORS_FILE;
  if (!name || name.length > 100) return fail(err, `--name: give the editor's name, 1 to 100 characters, e.g. --name "Night desk"\n${USAGE}`, 2);
  if (!file) return fail(err, `say which editors file to change: --file editors.json, or set EDITORS_FILE (the server reads the same setting)\n${USAGE}`, 2);
  if (values.replace && values.revoke) return fail(err, `--replace and --revoke cannot be combined\n${USAGE}`, 2);

  let editors: EditorEntry[];
  try {
    editors = existsSync(file) ? readEditors(file) : [];
  } catch (e) {
    if (e instanceof EditorsFileError) return fail(err, e.message, 1);
    throw e;
  }
  const known = editors.some((e) => e.name === name);
  if (values.revoke) {
    if (!known) return fail(err, `${file}: no editor is named "${name}"; nothing changed`, 1);
    writeEditors(file, editors.filter((e) => e.name !== name));
    err(`Revoked: "${name}" can no longer edit (a running server stops accepting their token within a second).\n`);
    return 0;
  }
  if (known && !values.replace) return fail(err, `${file}: an editor named "${name}" already exists; --replace gives them a new token (the old one stops working), --revoke removes them`, 1);
  const token = newToken();
  const entry: EditorEntry = { name, tokenSha256: tokenHash(token), createdAt: new Date().toISOString() };
  writeEditors(file, [...editors.filter((e) => e.name !== name), entry]);
  err(
    `${known ? 'New token for' : 'Added'} editor "${name}" in ${file}. The token is below, shown this once only (the file keeps its SHA-256).\n` +
      `Send it with each mutation as the header "Authorization: Bearer <token>"; the server must run with EDITORS_FILE=${file}.\n`,
  );
  out(`${token}\n`);
  return 0;
}

function fail(err: (text: string) => void, message: string, code: number): number {
  err(`${message}\n`);
  return code;
}

if (require.main === module) {
  process.exitCode = runEditorCommand(
    process.argv.slice(2),
    process.env,
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  );
}
