/** What a change did to its record, as the revision history and the change feed report it. */
import type { ChangeKind as ChangeKindValue } from '../../data/change';
import { describedEnum } from '../register-enum';

/** `ChangeKind`: created, updated, retracted or restored. */
export const ChangeKind = describedEnum<ChangeKindValue>('ChangeKind', 'What a change did to its record.', {
  CREATED: 'The record was created; also revision 1 of a record as first loaded from files or imported.',
  UPDATED: 'Some fields of the record changed.',
  RETRACTED: 'The event was retracted: it leaves lists, counts and exports but still resolves by slug and ID.',
  RESTORED: 'A retracted event was published again.',
});
