/**
 * What the direct resolvers leave to type-graphql: on a small schema of its own (type-graphql's
 * metadata is per test file), each thing it cannot map keeps type-graphql's resolver, says why,
 * and the answers stay the same.
 */
import 'reflect-metadata';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { Arg, Args, ArgsType, buildSchemaSync, Ctx, Field, FieldResolver, InputType, Int, ObjectType, Query, Resolver, Root, UseMiddleware, type BuildSchemaOptions, type MiddlewareFn } from 'type-graphql';
import { useDirectResolvers } from '../direct-resolvers';

const shout: MiddlewareFn = async (_data, next) => String(await next()).toUpperCase();

@ObjectType({ description: 'A thing.' })
class Thing {
  @Field({ description: 'Its name.' })
  name!: string;

  @Field({ description: 'Its name, shouted by a middleware.' })
  @UseMiddleware(shout)
  loud!: string;

  @Field(() => Int, { description: 'A getter: type-graphql reads it on an instance of Thing.' })
  get length(): number {
    return this.name.length;
  }
}

@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true, description: 'How many.' })
  n?: number | null;
}

@ArgsType()
class MethodArgs {
  @Field(() => Int, { nullable: true, description: 'A number.' })
  n?: number | null;

  doubled(): number {
    return (this.n ?? 0) * 2;
  }
}

@InputType({ description: 'Words, with an initial value.' })
class Words {
  @Field({ nullable: true, description: 'A word.' })
  word?: string = 'initial';
}

/** Root and relation fields of `Thing`. */
@Resolver(() => Thing)
class ThingResolver {
  @Query(() => [Thing], { description: 'Things.' })
  things(@Args() { n }: PageArgs, @Ctx() ctx: { names: string[] }): Thing[] {
    return ctx.names.slice(0, n ?? undefined).map((name) => ({ name, loud: name }) as Thing);
  }

  @Query(() => Int, { description: 'Uses a method of its args class.' })
  twice(@Args() args: MethodArgs): number {
    return args.doubled();
  }

  @Query(() => String, { description: 'Sees the initial value of an input class.' })
  word(@Arg('words', () => Words, { description: 'Words.' }) words: Words): string {
    return words.word ?? 'none';
  }

  @Query(() => String, { description: 'Behind a middleware.' })
  @UseMiddleware(shout)
  quiet(): string {
    return 'hush';
  }

  @FieldResolver(() => Boolean, { description: 'Whether the root is a Thing instance, as type-graphql makes it for a class-typed @Root().' })
  isInstance(@Root() thing: Thing): boolean {
    return thing instanceof Thing;
  }

  @FieldResolver(() => String, { description: 'A plain relation.' })
  initial(@Root() thing: { name: string }): string {
    return thing.name[0];
  }
}

const options = (): BuildSchemaOptions => ({ resolvers: [ThingResolver], validate: false });
const QUERY = '{ things(n: 2) { name loud length isInstance initial } twice(n: 21) word(words: {}) quiet }';
const context = { names: ['ant', 'bee', 'cat'] };

async function answer(schema: GraphQLSchema): Promise<unknown> {
  return JSON.parse(JSON.stringify(await execute({ schema, document: parse(QUERY), contextValue: context })));
}

describe('useDirectResolvers', () => {
  it('keeps type-graphql\'s resolver where it cannot map one, says why, and answers the same', async () => {
    const original = buildSchemaSync(options());
    const schema = buildSchemaSync(options());
    const report = useDirectResolvers(schema, options());
    expect(report.direct.sort()).toEqual(['Query.things', 'Thing.initial']);
    expect(report.plain).toEqual(['Thing.name']);
    expect(report.kept.sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'Query.quiet', reason: 'middlewares apply' },
      { field: 'Query.twice', reason: 'Query.twice @Args(): MethodArgs has methods or accessors' },
      { field: 'Query.word', reason: "@Arg('words'): Words.word has an initial value" },
      { field: 'Thing.isInstance', reason: '@Root() is typed with a class (Thing)' },
      { field: 'Thing.length', reason: 'a getter or method resolves it' },
      { field: 'Thing.loud', reason: 'middlewares apply' },
    ]);
    const expected = await answer(original);
    expect(expected).toEqual({
      data: {
        things: [
          { name: 'ant', loud: 'ANT', length: 3, isInstance: true, initial: 'a' },
          { name: 'bee', loud: 'BEE', length: 3, isInstance: true, initial: 'b' },
        ],
        twice: 42,
        word: 'initial',
        quiet: 'HUSH',
      },
    });
    expect(await answer(schema)).toEqual(expected);
  });

  it('changes nothing when global middlewares apply', async () => {
    const withGlobal = (): BuildSchemaOptions => ({ ...options(), globalMiddlewares: [async (_data, next) => next()] });
    const schema = buildSchemaSync(withGlobal());
    const report = useDirectResolvers(schema, withGlobal());
    expect(report.direct).toEqual([]);
    expect(report.plain).toEqual([]);
    expect(report.kept.map((k) => k.reason)).toEqual(report.kept.map(() => 'global middlewares apply'));
    expect(report.kept.length).toBeGreaterThan(0);
    expect(await answer(schema)).toEqual(await answer(buildSchemaSync(options())));
  });

  it('changes nothing when arguments are validated', () => {
    const validated = (): BuildSchemaOptions => ({ ...options(), validate: true });
    const report = useDirectResolvers(buildSchemaSync({ ...options(), validate: false }), validated());
    expect(report.direct).toEqual([]);
    expect(report.kept.map((k) => k.reason)).toContain('arguments are validated');
  });
});
