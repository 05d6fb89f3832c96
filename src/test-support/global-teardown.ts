/** Jest's global teardown: fails the run when a test left files in the run's temp folder (see temp-folder-check.ts). */
import { teardown } from './temp-folder-check';

export default teardown;
