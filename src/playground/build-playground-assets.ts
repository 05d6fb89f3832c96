/** Bundles the playground (GraphiQL, React, Monaco and its workers, styles, fonts) with esbuild into plain files this server serves. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PLAYGROUND_ASSETS_DIR, PLAYGROUND_BUILD_INFO } from './assets-dir';

/** What a build produced, or found already up to date. */
export interface PlaygroundBuild {
  outDir: string;
  /** True when the files were (re)built, false when they were already current. */
  built: boolean;
  /** Total size of the built files in bytes. */
  bytes: number;
  files: number;
  milliseconds: number;
}

const root = path.resolve(__dirname, '..', '..');
/** The playground's sources; named from the root so that the compiled copy in dist/ finds them too. */
const sourceDir = path.join(root, 'src', 'playground');

/** Files whose content decides the output; a change in any of them triggers a rebuild. */
function inputFiles(): string[] {
  const browserDir = path.join(sourceDir, 'browser');
  return [
    ...readdirSync(browserDir).map((name) => path.join(browserDir, name)),
    path.join(sourceDir, 'example-operations.ts'),
    path.join(sourceDir, 'build-playground-assets.ts'),
    path.join(root, 'package-lock.json'),
  ].filter((file) => existsSync(file) && statSync(file).isFile());
}

function inputHash(): string {
  const hash = createHash('sha256');
  for (const file of inputFiles().sort()) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function sizeOf(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}

/** Builds the playground into `outDir` unless the files there were built from the same inputs; `force` always builds. */
export async function buildPlaygroundAssets({ outDir = PLAYGROUND_ASSETS_DIR, force = false } = {}): Promise<PlaygroundBuild> {
  const started = Date.now();
  const hash = inputHash();
  const infoFile = path.join(outDir, PLAYGROUND_BUILD_INFO);
  if (!force && existsSync(infoFile)) {
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { inputHash?: string };
    if (info.inputHash === hash) return { outDir, built: false, ...sizeOf(outDir), milliseconds: Date.now() - started };
  }

  // Loaded here, not at the top, so that importing this module costs nothing when the files are current.
  const esbuild = await import('esbuild');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    legalComments: 'none',
    target: 'es2022',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  } as const;

  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { main: path.join(sourceDir, 'browser', 'main.tsx') },
      outdir: outDir,
      format: 'esm',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: 'assets/[name]-[hash]',
      jsx: 'automatic',
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
      plugins: [
        {
          // graphiql/style.css already holds Monaco's styles (and inlines its fonts);
          // the CSS files Monaco's modules import one by one would only repeat them.
          name: 'drop-css-imported-by-packages',
          setup(build) {
            build.onResolve({ filter: /\.css$/ }, (args) =>
              args.kind === 'import-statement' && args.importer.includes(`${path.sep}node_modules${path.sep}`)
                ? { path: args.path, namespace: 'empty-css' }
                : undefined,
            );
            build.onLoad({ filter: /.*/, namespace: 'empty-css' }, () => ({ contents: '', loader: 'css' }));
          },
        },
      ],
    }),
    esbuild.build({
      ...common,
      entryPoints: {
        'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
        'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
        'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
      },
      outdir: path.join(outDir, 'workers'),
      format: 'iife',
    }),
  ]);

  // Written last: its presence says the build finished.
  writeFileSync(infoFile, `${JSON.stringify({ inputHash: hash, builtAt: new Date().toISOString() }, null, 2)}\n`);
  return { outDir, built: true, ...sizeOf(outDir), milliseconds: Date.now() - started };
}
