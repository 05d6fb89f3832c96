/** Admission to the editing queue: the wait is estimated from recent turns, and an edit that could not make it is refused. */
import { EditAdmission, EditQueueFull } from '../edit-admission';

it('refuses an edit whose estimated wait (recent turn time times the edits ahead) does not fit in its time left', () => {
  const admission = new EditAdmission(100);
  let t = 0;
  // Thirty turns of 10 ms each: the running average comes to about 10 ms a turn.
  for (let i = 0; i < 30; i++, t += 10) {
    admission.enter(undefined, t);
    admission.leave(t + 10);
  }
  for (let i = 0; i < 9; i++) admission.enter(undefined, t);
  // Ten turns (the nine ahead and its own), about 100 ms: not within 80% of 100 ms, within 80% of 200 ms.
  let refusal: unknown = null;
  try {
    admission.enter(t + 100, t);
  } catch (err) {
    refusal = err;
  }
  expect(refusal).toBeInstanceOf(EditQueueFull);
  expect(refusal).toMatchObject({ waiting: 9, expectedWaitMs: 100, leftMs: 100 });
  expect(admission.length).toBe(9);
  admission.enter(t + 200, t);
  expect(admission.length).toBe(10);
});

it('refuses any edit once the most allowed wait, whatever its deadline', () => {
  const admission = new EditAdmission(2);
  admission.enter(undefined);
  admission.enter(undefined);
  expect(() => admission.enter(undefined)).toThrow('The editing queue is full: 2 edits are waiting, the most allowed is 2; nothing was changed.');
  admission.leave();
  expect(() => admission.enter(undefined)).not.toThrow();
});
