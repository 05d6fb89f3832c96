/** Relay's `PageInfo`: where a page sits in the whole list. */
import { Field, ObjectType } from 'type-graphql';

/** Where a page of a connection sits in the whole ordered list. */
@ObjectType('PageInfo', { description: 'Where a page sits in the whole ordered list, and the cursors to page on from it.' })
export class PageInfo {
  @Field({ description: 'Whether more items follow this page in the list.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether items come before this page in the list.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item on the page; pass it as before to page backward. Null on an empty page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item on the page; pass it as after to page forward. Null on an empty page.' })
  endCursor!: string | null;
}
