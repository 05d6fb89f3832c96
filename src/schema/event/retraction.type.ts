/** `Retraction`: why, when and by whom an event was retracted. */
import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

/** Set on an event while it is retracted. */
@ObjectType('Retraction', { description: 'Why, when and by whom an event was retracted.' })
export class Retraction {
  @Field(() => DateTimeScalar, { description: 'When the event was retracted.' })
  at!: string;

  @Field({ description: 'The editor who retracted it.' })
  editor!: string;

  @Field({ description: 'Why it was retracted, in the editor\'s words.' })
  reason!: string;
}
