/** `npm run build:playground`: bundles the playground's assets unless they are current; `--force` rebuilds. */
import { buildPlaygroundAssets } from '../playground/build-playground-assets';

buildPlaygroundAssets({ force: process.argv.includes('--force') }).then(
  ({ outDir, built, bytes, files, milliseconds }) => {
    const size = `${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    process.stdout.write(built ? `built the playground in ${milliseconds} ms: ${size} in ${outDir}\n` : `playground assets are up to date (${size} in ${outDir})\n`);
  },
  (err: unknown) => {
    process.stderr.write(`Could not build the playground: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
