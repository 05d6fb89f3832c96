/**
 * What an edit answers: the record as it now is, or user errors and nothing changed. The user errors the editing
 * service makes itself (as opposed to the checks of `data/validate-input.ts`) are worded here: each says what is
 * wrong and what to do instead.
 */
import type { EntityType } from '../data/change';
import type { InputProblem } from '../data/validate-input';
import { withArticle } from '../data/validate-record';

/** Why a mutation changed nothing. */
export type UserErrorCode = 'INVALID' | 'NOT_FOUND' | 'DUPLICATE_SLUG' | 'UNKNOWN_REFERENCE' | 'STALE_REVISION';

/** One reason a mutation changed nothing: where in the input, what, and of which kind. */
export interface UserError {
  field: string[];
  message: string;
  code: UserErrorCode;
}

/** What every mutation answers: the record as it now is, or null and why not. */
export interface EditResult<T> {
  record: T | null;
  userErrors: UserError[];
}

/** Each record type as one record is called in messages and input paths. */
export const NOUN: Record<EntityType, string> = { Event: 'event', Place: 'place', Actor: 'actor', Source: 'source' };
const LIST: Record<EntityType, string> = { Event: 'events', Place: 'places', Actor: 'actors', Source: 'sources' };

/** An `INVALID` error of the input at `field`. */
export const invalid = (field: string[], message: string): UserError => ({ field, message, code: 'INVALID' });
/** The answer of an edit that changed nothing, for these reasons. */
export const failed = <T>(userErrors: (UserError | InputProblem)[]): EditResult<T> => ({ record: null, userErrors });

/** No record of this type has the slug. */
export function notFound(type: EntityType, slug: string, field = ['slug']): UserError[] {
  return [{ field, message: `no ${NOUN[type]} has the slug "${slug}"; the ${LIST[type]} query lists them`, code: 'NOT_FOUND' }];
}

/** A record of this type already has the slug a creation gives. */
export function duplicate(type: EntityType, slug: string, field: string[]): UserError[] {
  return [{ field, message: `"${slug}" is already the slug of ${withArticle(NOUN[type])}; choose another slug, or update that ${NOUN[type]} with its expectedRevision`, code: 'DUPLICATE_SLUG' }];
}

/** The record is at revision `current`, not the one the edit was made from. */
export function stale(type: EntityType, slug: string, current: number, expected: number | null): UserError[] {
  return [{ field: ['expectedRevision'], message: `${NOUN[type]} "${slug}" is at revision ${current}, not ${expected}; read it again and apply the change to revision ${current}`, code: 'STALE_REVISION' }];
}

/** The edit was checked against an edit of the record `on`, which the storage then refused. */
export function refusedReference(on: { type: EntityType; slug: string }): UserError[] {
  return [{ field: [], message: `it refers to ${NOUN[on.type]} "${on.slug}", whose edit was refused while this one waited to be committed; read it again and retry`, code: 'UNKNOWN_REFERENCE' }];
}
