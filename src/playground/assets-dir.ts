/** Where the playground's built assets live; apart from the builder so the server never loads esbuild. */
import * as path from 'node:path';

/** The project root, from src/playground or dist/playground alike. */
const root = path.resolve(__dirname, '..', '..');

/** Folder of the built playground (main.js, main.css, chunks/, workers/); not committed, built by `npm run build:playground`. */
export const PLAYGROUND_ASSETS_DIR = path.join(root, 'dist', 'playground-assets');

/** The file the builder writes last; its presence means the assets are complete. */
export const PLAYGROUND_BUILD_INFO = 'build-info.json';
