/** The mutations of events: thin resolvers that check the editor and hand the input to the editing service. */
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Event } from '../../data/dataset';
import type { DatelineContext } from '../context';
import type { EditResult } from './editing';
import { patchFromInput, recordFromInput } from './input-record';
import { CreateEventInput, RestoreEventInput, RetractEventInput, UpdateEventInput } from './mutation.inputs';
import { EventMutationPayload } from './payloads.type';
import { requireEditor } from './require-editor';

const payload = ({ record, userErrors }: EditResult<Event>): EventMutationPayload => ({ event: record, userErrors });

/** Resolves `createEvent`, `updateEvent`, `retractEvent` and `restoreEvent`. */
@Resolver()
export class EventMutationResolver {
  @Mutation(() => EventMutationPayload, { description: 'Adds an event. Every rule for event files applies; on any problem nothing changes and userErrors says what to fix. Needs an editor\'s token.' })
  async createEvent(@Arg('input', () => CreateEventInput, { description: 'The new event and an optional note.' }) input: CreateEventInput, @Ctx() ctx: DatelineContext): Promise<EventMutationPayload> {
    const { editing, editor } = requireEditor(ctx);
    return payload(await editing.createEvent(editor, { event: recordFromInput(input.event), note: input.note ?? null }));
  }

  @Mutation(() => EventMutationPayload, { description: 'Changes some fields of an event, if it is still at expectedRevision; the patched event must obey every rule for event files. Needs an editor\'s token.' })
  async updateEvent(@Arg('input', () => UpdateEventInput, { description: 'Which event, the revision read, the fields to change and why.' }) input: UpdateEventInput, @Ctx() ctx: DatelineContext): Promise<EventMutationPayload> {
    const { editing, editor } = requireEditor(ctx);
    const { slug, expectedRevision, note } = input;
    return payload(await editing.updateEvent(editor, { slug, expectedRevision, patch: patchFromInput(input.patch), note }));
  }

  @Mutation(() => EventMutationPayload, { description: 'Retracts an event, if it is still at expectedRevision: it leaves lists, counts, the timeline and exports, but still resolves by slug and ID with status RETRACTED. Needs an editor\'s token.' })
  async retractEvent(@Arg('input', () => RetractEventInput, { description: 'Which event, the revision read, and why it is retracted.' }) input: RetractEventInput, @Ctx() ctx: DatelineContext): Promise<EventMutationPayload> {
    const { editing, editor } = requireEditor(ctx);
    const { slug, expectedRevision, reason } = input;
    return payload(await editing.retractEvent(editor, { slug, expectedRevision, reason }));
  }

  @Mutation(() => EventMutationPayload, { description: 'Publishes a retracted event again, if it is still at expectedRevision. Needs an editor\'s token.' })
  async restoreEvent(@Arg('input', () => RestoreEventInput, { description: 'Which event, the revision read, and why it is restored.' }) input: RestoreEventInput, @Ctx() ctx: DatelineContext): Promise<EventMutationPayload> {
    const { editing, editor } = requireEditor(ctx);
    const { slug, expectedRevision, note } = input;
    return payload(await editing.restoreEvent(editor, { slug, expectedRevision, note }));
  }
}
