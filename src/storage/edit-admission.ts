/**
 * Admission to the editing service's queue. Edits are checked one at a time; one that arrives behind more edits than
 * it could wait for before its request's deadline would only be answered TIMEOUT later, having held its place and its
 * memory all that time. So it is refused at once instead, saying how many wait and when to retry, and nothing changes.
 * The wait is estimated from how fast the queue has been moving (a running average of the time per turn, which counts
 * the event loop's other work as well as the checks), times the edits ahead, and must fit in 80% of the time left.
 */
import { performance } from 'node:perf_hooks';

/** Default most edits waiting for their turn to be checked; more are refused at once whatever their deadline. */
export const DEFAULT_MAX_WAITING_EDITS = 1000;

/** Weight of the newest turn in the running average. */
const SMOOTHING = 0.2;

/**
 * The share of the time a request has left that its wait may take: turns vary (the event loop's other work comes and
 * goes), and an edit let in that then waits past its deadline is answered TIMEOUT after all, having waited for nothing.
 */
const ADMIT_SHARE = 0.8;

/** Why an edit was refused before it joined the queue: how many waited, how long that would take, and the time it had. */
export class EditQueueFull extends Error {
  constructor(
    /** Edits waiting for their turn when it came. */
    readonly waiting: number,
    /** The most that may wait. */
    readonly maxWaiting: number,
    /** How long it would have waited for its turn, in ms (estimated). */
    readonly expectedWaitMs: number,
    /** How long its request had left before its deadline, in ms (null: no deadline). */
    readonly leftMs: number | null,
  ) {
    super(
      leftMs !== null && waiting < maxWaiting
        ? `The editing queue is too long: ${waiting} edits are waiting, about ${expectedWaitMs} ms, and this request has ${Math.max(0, leftMs)} ms left before its deadline; nothing was changed. Retry in about ${expectedWaitMs} ms.`
        : `The editing queue is full: ${waiting} edits are waiting, the most allowed is ${maxWaiting}; nothing was changed. Retry in about ${expectedWaitMs} ms.`,
    );
    this.name = 'EditQueueFull';
  }
}

/** Counts the edits waiting for their turn and refuses those that could not be reached before their deadline. */
export class EditAdmission {
  private waiting = 0;
  /** Running average of the wall time from one turn's end to the next while edits wait, in ms. */
  private turnMs = 1;
  private lastTurnEnd = 0;

  constructor(private readonly maxWaiting = DEFAULT_MAX_WAITING_EDITS) {
    if (!Number.isInteger(maxWaiting) || maxWaiting < 1) throw new RangeError(`maxWaiting must be a whole number of at least 1, got ${maxWaiting}`);
  }

  /** How many edits wait for their turn now. */
  get length(): number {
    return this.waiting;
  }

  /**
   * Takes a place in the queue for an edit whose request ends at `deadline` (a `performance.now()` time; none: no
   * deadline), or throws {@link EditQueueFull} when the queue is full or its turn would come after the deadline.
   */
  enter(deadline: number | undefined, now = performance.now()): void {
    const expectedWaitMs = Math.ceil((this.waiting + 1) * this.turnMs);
    const leftMs = deadline === undefined ? null : Math.floor(deadline - now);
    if (this.waiting >= this.maxWaiting || (leftMs !== null && expectedWaitMs > leftMs * ADMIT_SHARE)) {
      throw new EditQueueFull(this.waiting, this.maxWaiting, expectedWaitMs, leftMs);
    }
    if (this.waiting === 0) this.lastTurnEnd = now;
    this.waiting++;
  }

  /** The edit's turn is over (checked, and handed to the group commit or answered). */
  leave(now = performance.now()): void {
    this.waiting--;
    this.turnMs += SMOOTHING * (now - this.lastTurnEnd - this.turnMs);
    this.lastTurnEnd = now;
  }
}
