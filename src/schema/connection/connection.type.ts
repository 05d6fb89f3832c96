/** A class factory for Relay connection and edge types, one pair per entity. */
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../../store/pagination';
import { PageInfo } from './page-info.type';

/** The shape every connection resolver returns. */
export interface ConnectionValue<T> extends Page<T> {
  nodes: T[];
}

/** Makes `<Name>Connection` and `<Name>Edge` object types for items of `itemType`. */
export function Connection<T extends object>(itemType: ClassType<T>, name: string, plural: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a list of ${plural}, with its cursor.` })
  class Edge {
    @Field({ description: `Opaque cursor of this ${name}; pass it as after or before to page from here.` })
    cursor!: string;

    @Field(() => itemType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${plural}, with the cursors to page through the rest.` })
  class ConnectionType implements ConnectionValue<T> {
    @Field(() => [Edge], { description: `The ${plural} on this page, each with its cursor.` })
    edges!: Edge[];

    @Field(() => [itemType], { description: `The ${plural} on this page, without cursors.` })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Where this page sits in the whole list.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: `How many ${plural} the whole list holds, over all pages.` })
    totalCount!: number;
  }
  return ConnectionType;
}

/** Adds the `nodes` shortcut to a page from the store. */
export function toConnection<T>(page: Page<T>): ConnectionValue<T> {
  return { ...page, nodes: page.edges.map((e) => e.node) };
}
