/**
 * Preloaded (`node -r`) into a benchmark server by `varied-profile.ts`: each SIGUSR2 starts, then stops, a V8 CPU
 * profile of this process, written on stop to `$DATELINE_PROFILE_DIR/<pid>-<n>.cpuprofile`. A profile then holds the
 * measured load only, not the server's start-up (loading the data) or its warm-up.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';

const dir = process.env.DATELINE_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, result) => {
      // Written under a temporary name, then renamed, so that whoever waits for the file never reads half of it.
      const file = path.join(dir, `${process.pid}-${++written}.cpuprofile`);
      writeFileSync(`${file}.part`, err ? '{}' : JSON.stringify(result.profile));
      renameSync(`${file}.part`, file);
    });
  });
}
