/** The mutations of places, actors and sources: create or replace a whole record. */
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { DatelineContext } from '../context';
import { recordFromInput } from './input-record';
import { SaveActorInput, SavePlaceInput, SaveSourceInput } from './mutation.inputs';
import { ActorMutationPayload, PlaceMutationPayload, SourceMutationPayload } from './payloads.type';
import { requireEditor } from './require-editor';

const SAVE = (noun: string, file: string) =>
  `Creates ${noun} (expectedRevision left out) or replaces one as a whole (expectedRevision given, and it must still be current). Every rule for ${file} applies; on any problem nothing changes and userErrors says what to fix. Needs an editor's token.`;

/** Resolves `savePlace`, `saveActor` and `saveSource`. */
@Resolver()
export class CatalogueMutationResolver {
  @Mutation(() => PlaceMutationPayload, { description: SAVE('a place', 'places.json') })
  async savePlace(@Arg('input', () => SavePlaceInput, { description: 'The whole place, and the revision read when updating.' }) input: SavePlaceInput, @Ctx() ctx: DatelineContext): Promise<PlaceMutationPayload> {
    const { editing, editor } = requireEditor(ctx);
    const { record, userErrors } = await editing.savePlace(editor, { record: recordFromInput(input.place), expectedRevision: input.expectedRevision ?? null, note: input.note ?? null });
    return { place: record, userErrors };
  }

  @Mutation(() => ActorMutationPayload, { description: SAVE('an actor', 'actors.json') })
  async saveActor(@Arg('input', () => SaveActorInput, { description: 'The whole actor, and the revision read when updating.' }) input: SaveActorInput, @Ctx() ctx: DatelineContext): Promise<ActorMutationPayload> {
    const { editing, editor } = requireEditor(ctx);
    const { record, userErrors } = await editing.saveActor(editor, { record: recordFromInput(input.actor), expectedRevision: input.expectedRevision ?? null, note: input.note ?? null });
    return { actor: record, userErrors };
  }

  @Mutation(() => SourceMutationPayload, { description: SAVE('a source', 'sources.json') })
  async saveSource(@Arg('input', () => SaveSourceInput, { description: 'The whole source, and the revision read when updating.' }) input: SaveSourceInput, @Ctx() ctx: DatelineContext): Promise<SourceMutationPayload> {
    const { editing, editor } = requireEditor(ctx);
    const { record, userErrors } = await editing.saveSource(editor, { record: recordFromInput(input.source), expectedRevision: input.expectedRevision ?? null, note: input.note ?? null });
    return { source: record, userErrors };
  }
}
