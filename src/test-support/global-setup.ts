/** Jest's global setup: builds the playground's assets and gives the run its own temp folder (see temp-folder-check.ts). */
import { setup } from './temp-folder-check';

export default setup;
