/** Test helper: random GraphQL queries that follow the schema, with odd argument values, for the fuzz tests. */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** A small seeded generator, so one fast-check seed gives one query. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (((x ^ (x >>> 14)) >>> 0) % n) | 0;
  };
}

export const ODD_STRINGS = ['', 'idlib', 'damascus', 'x'.repeat(300), 'ŝýrïa 🇸🇾 دمشق', '\u0000\u2028', 'RXZlbnQ6aWRsaWI', '2012-11-05', '9999-99-99', '"; DROP'];
const ODD_NUMBERS = ['0', '-1', '1', '20', '100', '101', '2147483647', '2147483648', '99999999999999999999999', '1e400', '-0', '3.5'];

/** A GraphQL literal for an argument of `type`, sometimes of the wrong kind on purpose. */
export function literal(type: GraphQLInputType, pick: (n: number) => number, depth = 0, strings: readonly string[] = ODD_STRINGS): string {
  if (pick(8) === 0) return [ODD_NUMBERS[pick(ODD_NUMBERS.length)], JSON.stringify(strings[pick(strings.length)]), 'null', 'true', '[]', '{}'][pick(6)];
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return `[${Array.from({ length: pick(4) }, () => literal(inner.ofType, pick, depth + 1, strings)).join(', ')}]`;
  const named = getNamedType(inner);
  if (isEnumType(named)) return named.getValues()[pick(named.getValues().length)].name;
  if (isInputObjectType(named)) {
    if (depth > 2) return '{}';
    const fields = Object.values(named.getFields()).filter(() => pick(2) === 0);
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, pick, depth + 1, strings)}`).join(', ')} }`;
  }
  if (named.name === 'Int' || named.name === 'Float') return ODD_NUMBERS[pick(ODD_NUMBERS.length)];
  if (named.name === 'Boolean') return pick(2) ? 'true' : 'false';
  return JSON.stringify(strings[pick(strings.length)]);
}

/** A random selection set on `type`, following the schema, up to `depth` levels. */
export function selection(schema: GraphQLSchema, type: GraphQLNamedType, pick: (n: number) => number, depth: number, strings: readonly string[] = ODD_STRINGS): string {
  if (isLeafType(type)) return '';
  if (isInterfaceType(type)) {
    const impls = schema.getPossibleTypes(type);
    const impl = impls[pick(impls.length)];
    return `{ __typename ... on ${impl.name} ${selection(schema, impl, pick, depth, strings) || '{ id }'} }`;
  }
  if (!isObjectType(type)) return '{ __typename }';
  const fields = Object.values(type.getFields());
  const chosen = Array.from({ length: 1 + pick(3) }, () => fields[pick(fields.length)]);
  const parts = chosen.map((f, i) => {
    const args = f.args.filter((a) => isNonNullType(a.type) || pick(2) === 0);
    const argText = args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type, pick, 0, strings)}`).join(', ')})` : '';
    const target = getNamedType(f.type);
    const sub = isLeafType(target) ? '' : depth <= 0 ? '{ __typename }' : selection(schema, target, pick, depth - 1, strings);
    return `f${i}: ${f.name}${argText} ${sub}`;
  });
  return `{ ${parts.join(' ')} }`;
}
