/** The built playground (and its HTML page) refers to no other host for anything a browser would load. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { playgroundPage } from '../../server/discovery/playground-page';
import { PLAYGROUND_ASSETS_PATH } from '../../server/discovery/setup-discovery';
import { PLAYGROUND_ASSETS_DIR } from '../assets-dir';

/**
 * Hosts that appear in the bundled libraries' text but are never fetched, and why:
 * XML namespaces and JSON Schema identifiers are names, the rest are links in help texts and messages.
 */
const NAMED_NOT_FETCHED = new Map([
  ['www.w3.org', 'SVG/XML namespace names'],
  ['json-schema.org', 'JSON Schema $schema identifiers, resolved from tables inside Monaco'],
  ['github.com', 'links in error messages and the GraphiQL logo'],
  ['code.visualstudio.com', 'links in Monaco help texts and the shortcuts dialog'],
  ['microsoft.com', 'an example link in Monaco markdown handling'],
  ['react.dev', 'links in React error messages'],
  ['prettier.io', 'a link in a Prettier error message'],
  ['yarnpkg.com', 'a link in a bundled package message'],
  ['en.wikipedia.org', 'a link in a JSON setting description'],
  ['commonmark.org', 'a link in a JSON setting description'],
]);

/** Text just before a URL that means the code loads it: a script, style, font, worker, module or request. */
const LOADS = new RegExp(
  [
    String.raw`\bimport\s*\(`, // dynamic import()
    String.raw`\bimport\s[^;]{0,80}\bfrom\s*`, // static import
    String.raw`importScripts\s*\(`,
    String.raw`\bfetch\s*\(`,
    String.raw`new\s+(?:Shared)?Worker\s*\(`,
    String.raw`\bsrcset\s*[=:]\s*`,
    String.raw`\bsrc\s*[=:]\s*`, // <script src>, <img src>, {src: ...}
    String.raw`\.src\s*=\s*`,
    String.raw`url\s*\(`, // CSS url(), fonts included
    String.raw`@import\s+`,
    String.raw`<link\b[^>]*\bhref\s*=\s*`, // style sheets, icons, preloads
    String.raw`\.open\s*\(\s*["'][A-Z]+["']\s*,\s*`, // XMLHttpRequest
    String.raw`sendBeacon\s*\(`,
  ]
    .map((before) => `(?:${before})`)
    .join('|') + String.raw`\s*["'\x60]?\s*$`,
);

/** Every absolute http(s) URL in `text` that would be fetched or whose host is not known to be a mere name or link. */
function externalReferences(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/https?:\/\/([a-z0-9.-]+)[^\s"'`)<>\]]*/gi)) {
    const before = text.slice(Math.max(0, match.index - 120), match.index);
    const host = match[1].toLowerCase();
    if (LOADS.test(before)) found.push(`${file}: loads ${match[0]} (…${before.slice(-40)})`);
    else if (!NAMED_NOT_FETCHED.has(host)) found.push(`${file}: unknown host ${host} in ${match[0]}; check it is never fetched and list it in NAMED_NOT_FETCHED`);
  }
  return found;
}

/** Every file of the built playground, relative to its folder. */
function builtFiles(): string[] {
  return readdirSync(PLAYGROUND_ASSETS_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(PLAYGROUND_ASSETS_DIR, path.join(entry.parentPath, entry.name)))
    .sort();
}

it('builds the bundle, its styles and the three editor workers', () => {
  expect(builtFiles()).toEqual(expect.arrayContaining(['main.js', 'main.css', 'workers/editor.worker.js', 'workers/json.worker.js', 'workers/graphql.worker.js']));
});

it('finds loads from other hosts when there are some (the scanner itself works)', () => {
  expect(externalReferences('a.js', 'import("https://esm.sh/graphiql")')).toHaveLength(1);
  expect(externalReferences('a.js', 'new Worker("https://cdn.jsdelivr.net/w.js")')).toHaveLength(1);
  expect(externalReferences('a.css', '@font-face{src:url(https://fonts.gstatic.com/roboto.woff2)}')).toHaveLength(1);
  expect(externalReferences('a.html', '<script src="https://unpkg.com/react"></script>')).toHaveLength(1);
  expect(externalReferences('a.html', '<link rel="stylesheet" href="https://unpkg.com/graphiql/style.css">')).toHaveLength(1);
  expect(externalReferences('a.js', 'const ns="http://www.w3.org/2000/svg"')).toEqual([]);
});

it('loads nothing from another host: no script, style, font, worker or request URL outside this server', () => {
  const found = builtFiles()
    .filter((file) => /\.(js|css|html)$/.test(file))
    .flatMap((file) => externalReferences(file, readFileSync(path.join(PLAYGROUND_ASSETS_DIR, file), 'utf8')));
  found.push(...externalReferences('playground page', playgroundPage(PLAYGROUND_ASSETS_PATH)));
  expect(found).toEqual([]);
});

it('styles fonts and images only from data: URLs or this server', () => {
  const css = readFileSync(path.join(PLAYGROUND_ASSETS_DIR, 'main.css'), 'utf8');
  const urls = [...css.matchAll(/url\(\s*["']?([^"')\s]{0,40})/g)].map((m) => m[1]);
  expect(urls.length).toBeGreaterThan(0);
  expect(urls.filter((url) => !url.startsWith('data:') && !url.startsWith('#') && /^[a-z]+:|^\/\//i.test(url))).toEqual([]);
});
