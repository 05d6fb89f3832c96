/**
 * Group commit for the editing service: edits are checked one at a time, but an edit need not wait for the edit
 * before it to be durable. While one group of accepted edits is being committed (one journal write and one fsync for
 * all of them, on a storage that can), the edits checked meanwhile gather into the next group, checked against the
 * store plus every edit accepted and not yet durable (`pendingOf`). Each is answered only once its group is durable.
 */
import type { CommittedChange, EntityType, FileForm } from '../data/change';
import type { Event } from '../data/dataset';
import type { CommitRefusal, ProposedChange, Storage } from './storage';

/** Why an accepted edit was not committed: the storage refused it, or an edit it was checked against was refused. */
export type GroupRefusal = CommitRefusal | { code: 'DEPENDENCY'; on: PendingEdit };

/** An edit accepted by the checks and not yet durable: what later edits are checked against. */
export interface PendingEdit {
  readonly type: EntityType;
  readonly slug: string;
  /** The revision it makes. */
  readonly revision: number;
  /** The record as it makes it, in file form. */
  readonly after: FileForm;
  /** The event as it makes it, when it is one (what references to it find). */
  readonly event: Event | null;
  /** Set once the storage refused it (or an edit it depended on was refused). */
  refused: boolean;
}

interface Entry extends PendingEdit {
  readonly proposal: ProposedChange;
  readonly dependsOn: readonly PendingEdit[];
  answered: boolean;
  settle(result: CommittedChange | GroupRefusal): void;
  fail(err: unknown): void;
}

/** The storage as the group commit uses it: `commitAll` when it has one, else `commit` one at a time. */
export type GroupStorage = Pick<Storage, 'commit'> & Partial<Pick<Storage, 'commitAll'>>;

/** Gathers accepted edits into groups and commits each group at once. */
export class GroupCommit {
  private readonly pending = new Map<string, Entry>();
  private next: Entry[] = [];
  private flushing: Promise<void> | null = null;
  private inFlight = 0;

  constructor(private readonly storage: GroupStorage) {}

  /** The edit of a record accepted last and not yet durable, if any. */
  pendingOf(type: EntityType, slug: string): PendingEdit | undefined {
    return this.pending.get(`${type}:${slug}`);
  }

  /** How many accepted edits are waiting for their group to be durable (the one committing and the next). */
  get waiting(): number {
    return this.inFlight + this.next.length;
  }

  /**
   * Puts a checked proposal into the next group, which is committed as soon as the one committing now is durable.
   * `dependsOn` are the pending edits its checks relied on: if one of them is refused, so is this one, unsent.
   * Resolves with the committed change, or why it was refused; nothing of a refused edit is kept.
   */
  propose(proposal: ProposedChange, revision: number, event: Event | null, dependsOn: readonly PendingEdit[]): Promise<CommittedChange | GroupRefusal> {
    return new Promise((settle, fail) => {
      const { type, slug } = proposal.entity;
      const entry: Entry = { type, slug, revision, after: proposal.after, event, refused: false, proposal, dependsOn, answered: false, settle, fail };
      this.pending.set(`${type}:${slug}`, entry);
      this.next.push(entry);
      this.flushing ??= this.flushAll();
    });
  }

  /** Resolves once every accepted edit is durable or refused. */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Commits groups until none is waiting. */
  private async flushAll(): Promise<void> {
    try {
      while (this.next.length) await this.flush(this.take());
    } finally {
      this.flushing = null;
    }
  }

  /** The next group, less the edits that relied on one refused meanwhile (they are answered so at once). */
  private take(): Entry[] {
    const group: Entry[] = [];
    for (const entry of this.next) {
      const on = entry.dependsOn.find((d) => d.refused);
      if (on) this.done(entry, { code: 'DEPENDENCY', on });
      else group.push(entry);
    }
    this.next = [];
    return group;
  }

  private async flush(group: Entry[]): Promise<void> {
    if (!group.length) return;
    this.inFlight = group.length;
    try {
      if (this.storage.commitAll) {
        const results = await this.storage.commitAll(group.map((e) => e.proposal));
        group.forEach((entry, i) => this.done(entry, results[i]));
      } else {
        // A storage without group commit (PostgreSQL: one transaction per edit) commits them one at a time, in order.
        for (const entry of group) {
          const on = entry.dependsOn.find((d) => d.refused);
          this.done(entry, on ? { code: 'DEPENDENCY', on } : await this.storage.commit(entry.proposal));
        }
      }
    } catch (err) {
      // The storage failed (a disk or database error): the edits not answered yet are answered with that error.
      const unanswered = group.filter((e) => !e.answered);
      for (const entry of unanswered) this.forget(entry, true);
      for (const entry of unanswered) entry.fail(err);
    } finally {
      this.inFlight = 0;
    }
  }

  private done(entry: Entry, result: CommittedChange | GroupRefusal): void {
    this.forget(entry, 'code' in result);
    entry.answered = true;
    entry.settle(result);
  }

  /** The store has the edit now (or never will): later edits are checked against the store again. */
  private forget(entry: Entry, refused: boolean): void {
    entry.refused = refused;
    const key = `${entry.type}:${entry.slug}`;
    if (this.pending.get(key) === entry) this.pending.delete(key);
  }
}
