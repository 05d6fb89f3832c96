/** `UserError`: one problem with a mutation's input; a mutation with any problem changes nothing. */
import { Field, ObjectType } from 'type-graphql';
import { describedEnum } from '../register-enum';
import type { UserErrorCodeValue } from './editing';

/** `UserErrorCode`. */
export const UserErrorCode = describedEnum<UserErrorCodeValue>('UserErrorCode', 'Why a mutation\'s input was refused.', {
  INVALID: 'The input breaks a rule for data files (a missing or malformed field, a date out of order, a place whose parent would make a cycle...); the message says which, in the words the loader uses for files.',
  NOT_FOUND: 'No record has the slug the mutation names.',
  DUPLICATE_SLUG: 'A record with this slug already exists; choose another slug, or update that record.',
  UNKNOWN_REFERENCE: 'The input refers by slug to a place, actor, source or event that does not exist; create it first.',
  STALE_REVISION: 'The record changed since the editor read it: expectedRevision is not its current revision (the message gives it). Read the record again, reapply the change and retry.',
});

/** One problem with a mutation's input, with the path of the input field it concerns. */
@ObjectType('UserError', { description: 'One problem with a mutation\'s input. A mutation with any problem changes nothing and returns every problem found.' })
export class UserError {
  @Field(() => [String], { description: 'Path of the input field concerned, within the mutation\'s input, e.g. ["patch", "casualties", "0", "count"].' })
  field!: string[];

  @Field({ description: 'What is wrong and how to fix it, in the words the loader uses for data files.' })
  message!: string;

  @Field(() => UserErrorCode, { description: 'What kind of problem it is, for clients that handle some kinds themselves.' })
  code!: UserErrorCodeValue;
}
