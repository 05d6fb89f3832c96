/** Builds the timeline page (src/web) into dist/public: one script bundled by esbuild, the stylesheet and the HTML. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Where the page's sources live; the same from src/ and dist/. */
export const PAGE_SOURCE_DIR = path.resolve(__dirname, '../../src/web');

/** Bundles and copies the page into `outDir`; esbuild is a build-time tool, so it is loaded only here. */
export async function buildPage(outDir: string): Promise<string[]> {
  const esbuild = await import('esbuild');
  await fs.mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(PAGE_SOURCE_DIR, 'timeline.ts')],
    outfile: path.join(outDir, 'timeline.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    target: 'es2020',
    format: 'iife',
    logLevel: 'silent',
  });
  for (const file of ['index.html', 'timeline.css']) await fs.copyFile(path.join(PAGE_SOURCE_DIR, file), path.join(outDir, file));
  return (await fs.readdir(outDir)).sort();
}

if (require.main === module) {
  const outDir = path.resolve(__dirname, '../public');
  buildPage(outDir).then(
    (files) => process.stdout.write(`wrote ${files.join(', ')} to ${outDir}\n`),
    (err: unknown) => {
      process.stderr.write(`could not build the timeline page: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
