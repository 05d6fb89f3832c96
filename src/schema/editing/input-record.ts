/** Turns a GraphQL input object into the plain record the data layer checks (its file form). */
import type { FileForm } from '../../data/change';

/** `value` as plain JSON data: fields left out or null are dropped (an optional field given as null is absent). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field != null) out[key] = plain(field);
  return out;
}

/** A whole record from its input: fields left out or null are absent. */
export function recordFromInput(input: object): FileForm {
  return plain(input) as FileForm;
}

/** A patch from its input: fields left out are absent (unchanged); a top-level null stays null (the field is removed). */
export function patchFromInput(input: object): FileForm {
  const out: FileForm = {};
  for (const [key, field] of Object.entries(input)) if (field !== undefined) out[key] = field === null ? null : plain(field);
  return out;
}
