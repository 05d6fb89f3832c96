/** Checks one parsed file or NDJSON line against its JSON Schema and words each failure for a person. */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { describeValue, type DataProblem } from './problems';

// Valid records (nearly all of them) pass a fast validator that stops at the first error; only a record that
// fails is checked again, collecting every error. verbose: each error carries its schema, which the messages
// below read (patterns, allowed fields).
const fastAjv = new Ajv({ allErrors: false, strict: false });
const fullAjv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats(fastAjv, ['date-time']);
addFormats(fullAjv, ['date-time']);
const compiled = new WeakMap<TSchema, { fast: ValidateFunction; full?: ValidateFunction }>();

/** Turns a JSON pointer like `/casualties/0/count` into `casualties[0].count`. */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function valueAt(data: unknown, pointer: string): unknown {
  let v: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** "an array", "a string": the noun with its article. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function expectedFor(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const schema = e.parentSchema as { pattern?: string; description?: string } | undefined;
  switch (e.keyword) {
    case 'type':
      return p.type === 'integer' ? 'a whole number' : withArticle(String(p.type));
    case 'enum':
      return `one of ${(p.allowedValues as string[]).join(', ')}`;
    case 'pattern':
      return schema?.pattern?.includes('a-z0-9') ? 'a slug (a-z, 0-9 and single hyphens)' : 'a date YYYY-MM-DD';
    case 'minimum':
      return Number(p.limit) === 0 ? 'a number >= 0' : `a number >= ${String(p.limit)}`;
    case 'maximum':
      return `a number <= ${String(p.limit)}`;
    case 'minLength':
      return 'a non-empty string';
    case 'maxLength':
      return `at most ${String(p.limit)} characters`;
    case 'minItems':
      return `at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'format':
      return p.format === 'date-time' ? 'an RFC 3339 date-time with offset, e.g. 2012-11-05T14:30:00+02:00' : `format ${String(p.format)}`;
    default:
      return e.message ?? 'something else';
  }
}

/** Validates `data` against `schema`; returns one problem per wrong field (none when it is valid). */
export function validateAgainst(schema: TSchema, data: unknown, file: string): DataProblem[] {
  let validators = compiled.get(schema);
  if (!validators) {
    validators = { fast: fastAjv.compile(schema) };
    compiled.set(schema, validators);
  }
  if (validators.fast(data)) return [];
  const validate = (validators.full ??= fullAjv.compile(schema));
  if (validate(data)) return [];
  const problems: DataProblem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // A union (e.g. slug or null) reports each branch; the first branch's wording is enough.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const path = pointerToPath(e.instancePath);
    let problem: DataProblem;
    if (e.keyword === 'required') {
      problem = { file, path: join(path, String(e.params.missingProperty)), message: 'is required' };
    } else if (e.keyword === 'additionalProperties') {
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      problem = {
        file,
        path: join(path, String(e.params.additionalProperty)),
        message: `is not a known field; expected one of ${allowed.join(', ')}`,
      };
    } else {
      const got = describeValue(valueAt(data, e.instancePath));
      problem = { file, path, message: `must be ${expectedFor(e)}, got ${got}` };
    }
    if (seen.has(problem.path)) continue;
    seen.add(problem.path);
    problems.push(problem);
  }
  return problems;
}
