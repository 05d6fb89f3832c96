/**
 * Checkpoints of a data folder (`history/state.json`): the data folder is flushed (making every rename so far
 * durable), then the last change every file has and what Dateline knows of each data file (size/mtime/inode) are
 * saved, so that a start can tell which changes it must finish again and which files changed while it was stopped.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { syncDir, writeFileAtomic } from './atomic-write';

/** What a checkpoint saves. */
export interface CheckpointState {
  /** Every change up to this one is in its file, flushed. */
  checkpointSeq: number;
  /** Stat key of each data file as Dateline last wrote or accepted it. */
  files: Record<string, string>;
}

/** The checkpoints of one data folder, one at a time. */
export class Checkpoints {
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<unknown> = Promise.resolve();

  /** `state` says what to save now (it is asked before the folder is flushed), or null once the storage is closed. */
  constructor(
    private readonly dataDir: string,
    private readonly file: string,
    private readonly state: () => CheckpointState | null,
    private readonly log: (level: 'warn', message: string) => void,
  ) {}

  /** The last checkpoint saved, or none (a first start). */
  read(): Promise<CheckpointState> {
    return fs.readFile(this.file, 'utf8').then(
      (t) => JSON.parse(t) as CheckpointState,
      () => ({ checkpointSeq: 0, files: {} }),
    );
  }

  /** A checkpoint a second from now; it runs beside further commits (it only flushes what they finished). */
  soon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save().catch((err: Error) => this.log('warn', `saving ${path.basename(path.dirname(this.file))}/${path.basename(this.file)} failed: ${err.message}`));
    }, 1000);
    this.timer.unref();
  }

  /** Cancels a checkpoint asked for with `soon` (close saves one itself). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A checkpoint now; one asked for while another runs follows it, with what is finished by then. */
  save(): Promise<void> {
    const run = this.saving.then(async () => {
      // What is finished is taken before the folder is flushed, so that the flush covers all of it.
      const state = this.state();
      if (!state) return;
      await syncDir(this.dataDir);
      await writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`);
    });
    this.saving = run.catch(() => undefined);
    return run;
  }
}
