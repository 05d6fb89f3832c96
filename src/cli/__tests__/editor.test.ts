import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readEditors, tokenHash } from '../../server/auth/editors-file';
import { runEditorCommand } from '../editor';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dateline-editor-cli-'));
  file = path.join(dir, 'editors.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command; returns its exit code, stdout and stderr. */
function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = runEditorCommand(args, env, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

describe('npm run editor', () => {
  it('creates the file with the editor and the SHA-256 of a new 32-byte token, printed once, alone on stdout', () => {
    const { code, out, err } = run(['--name', 'Night desk', '--file', file]);
    const token = out.trim();
    expect(code).toBe(0);
    expect(Buffer.from(token, 'base64url').length).toBe(32);
    expect(out).toBe(`${token}\n`);
    expect(err).toContain('shown this once only');
    expect(err).not.toContain(token);
    expect(readEditors(file).map((e) => [e.name, e.tokenSha256])).toEqual([['Night desk', tokenHash(token)]]);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reads EDITORS_FILE when --file is left out, and adds editors with different tokens', () => {
    const first = run(['--name', 'Night desk'], { EDITORS_FILE: file });
    const second = run(['--name', 'Day desk'], { EDITORS_FILE: file });
    expect([first.code, second.code, first.out === second.out]).toEqual([0, 0, false]);
    expect(readEditors(file).map((e) => e.name)).toEqual(['Night desk', 'Day desk']);
  });

  it('refuses a name already there unless --replace, which makes a new token', () => {
    const first = run(['--name', 'Night desk', '--file', file]);
    const again = run(['--name', 'Night desk', '--file', file]);
    expect([again.code, again.out]).toEqual([1, '']);
    expect(again.err).toContain('already exists; --replace');
    const replaced = run(['--name', 'Night desk', '--file', file, '--replace']);
    expect(replaced.code).toBe(0);
    expect(readEditors(file).map((e) => e.tokenSha256)).toEqual([tokenHash(replaced.out.trim())]);
    expect(tokenHash(first.out.trim())).not.toBe(tokenHash(replaced.out.trim()));
  });

  it('revokes an editor', () => {
    run(['--name', 'Night desk', '--file', file]);
    run(['--name', 'Day desk', '--file', file]);
    expect(run(['--name', 'Night desk', '--file', file, '--revoke']).code).toBe(0);
    expect(readEditors(file).map((e) => e.name)).toEqual(['Day desk']);
    expect(run(['--name', 'Nobody', '--file', file, '--revoke']).code).toBe(1);
  });

  it.each([
    ['no name', ['--file', 'x.json'], /--name: give the editor's name/],
    ['no file', ['--name', 'A'], /say which editors file to change/],
    ['an unknown option', ['--nme', 'A'], /Unknown option '--nme'/],
  ])('explains what is missing: %s', (_name, args, message) => {
    const { code, out, err } = run(args);
    expect([code, out]).toEqual([2, '']);
    expect(err).toMatch(message);
  });

  it('refuses a broken editors file, naming the problem and leaving it as it is', () => {
    writeFileSync(file, '{"editors": [{"name": "", "tokenSha256": "abc"}]}');
    const { code, err } = run(['--name', 'A', '--file', file]);
    expect(code).toBe(1);
    expect(err).toContain('editors[0].name: must be a name of 1 to 100 characters');
    expect(err).toContain('editors[0].tokenSha256: must be the SHA-256 of the token as 64 lower-case hex digits');
    expect(readFileSync(file, 'utf8')).toBe('{"editors": [{"name": "", "tokenSha256": "abc"}]}');
  });
});
