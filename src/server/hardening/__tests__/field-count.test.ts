/**
 * The field-count guard: its scan counts what the parser would, and it refuses hundreds of copies of a field before
 * graphql-js parses or validates anything, with the same answer whether the fast path or Apollo has the request.
 */
import fc from 'fast-check';
import { Lexer, parse, Source, TokenKind, visit } from 'graphql';
// The modules graphql's index re-exports through getters, so that a spy sees every caller (Apollo, the fast path).
import * as parser from 'graphql/language/parser';
import * as validation from 'graphql/validation/validate';
import { scanSelections } from '../selection-scan';
import { rng } from './query-generator';
import { startTestServer, type TestServer } from './start-server';

/** The counts the scan must give, from the parsed document. */
function parsedCounts(query: string) {
  let fields = 0;
  let widest = 0;
  visit(parse(query), {
    Field() {
      fields++;
    },
    SelectionSet(node) {
      widest = Math.max(widest, node.selections.length);
    },
  });
  return { fields, widest };
}

const NAMES = ['events', 'nodes', 'title', 'on', 'query', 'fragment', '__typename', 'true', 'null', 'e1'];
const VALUES = ['3', '-2.5e3', '"a { b } ( c"', '"esc \\" } {"', '"""block { "" } \\""" ( """', '[1, { a: [] }]', '{ a: { b: "}" } }', '$v', 'ENUM', 'null'];

/** A random document that parses: aliases, arguments holding braces in strings and objects, directives, fragments, comments. */
function randomDocument(seed: number): string {
  const pick = rng(seed);
  const one = <T>(list: readonly T[]) => list[pick(list.length)];
  const gap = () => one([' ', ' ', ', ', '\n# } { ... on x: (\n', '\t']);
  const args = () => (pick(3) ? '' : `(${Array.from({ length: 1 + pick(3) }, (_, i) => `a${i}: ${one(VALUES)}`).join(gap())})`);
  const directive = () => (pick(4) ? '' : ` @${one(['include', 'skip', 'on'])}(if: ${one(['true', '$v'])})`);
  const set = (depth: number): string =>
    `{${Array.from({ length: 1 + pick(4) }, () => {
      const kind = depth > 3 ? 0 : pick(5);
      if (kind === 3) return `...F${pick(2)}${directive()}`;
      if (kind === 4) return `... ${one(['on Event ', 'on on ', ''])}${directive()} ${set(depth + 1)}`;
      const alias = pick(3) ? '' : `${one(NAMES)}${gap()}:${gap()}`;
      return `${alias}${one(NAMES)}${args()}${directive()}${kind === 2 ? ` ${set(depth + 1)}` : ''}`;
    }).join(gap())}}`;
  const operation = pick(2) ? set(0) : `query Q($v: Boolean = true, $o: In = { a: { b: 1 } }) @cached ${set(0)}`;
  return `${operation}${gap()}fragment F0 on Event ${set(1)}${gap()}fragment F1 on on ${set(1)}`;
}

describe('scanSelections', () => {
  it('counts the fields and the widest selection set as the parser does (300 generated documents)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const query = randomDocument(seed);
        const { fields, widest } = scanSelections(query, 100_000);
        expect({ fields, widest }).toEqual(parsedCounts(query));
      }),
      { numRuns: 300 },
    );
  });

  it('counts tokens as the parser does, and stops counting past the limit', () => {
    const query = 'query Q($a: Int = -1.5) { x: events(first: 2, filter: { search: "a b" }) { ...F } } # comment { }\nfragment F on Event { """doc""" }';
    const lexer = new Lexer(new Source(query));
    let tokens = 0;
    while (lexer.advance().kind !== TokenKind.EOF) tokens++;
    expect(scanSelections(query, 1000).tokens).toBe(tokens);
    expect(scanSelections(query, 5).tokens).toBe(6);
  });
});

describe('refusing duplicated fields over HTTP', () => {
  const LIMITS = { maxFields: 500, maxSelections: 100 };
  const duplicated = `{ ${'events { nodes { title } } '.repeat(400)}}`;
  let fast: TestServer;
  let apollo: TestServer;
  beforeAll(async () => {
    fast = await startTestServer(LIMITS);
    apollo = await startTestServer(LIMITS, undefined, { fastPath: false });
  });
  afterAll(() => Promise.all([fast.close(), apollo.close()]));
  afterEach(() => jest.restoreAllMocks());

  it('refuses 400 copies of a field before graphql-js parses or validates, the same on both paths', async () => {
    const parseSpy = jest.spyOn(parser, 'parse');
    const validateSpy = jest.spyOn(validation, 'validate');
    const answers = [await fast.post({ query: duplicated }), await fast.post({ query: duplicated }), await apollo.post({ query: duplicated })];
    expect(parseSpy).not.toHaveBeenCalled();
    expect(validateSpy).not.toHaveBeenCalled();
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.json.errors).toEqual([
        {
          message: 'The document has 1200 fields, more than the limit of 500; split it into several requests.',
          extensions: { code: 'LIMIT_EXCEEDED', limit: { name: 'fields', max: 500, actual: 1200 } },
        },
      ]);
    }
    expect(answers[1].text).toBe(answers[2].text);
    expect(answers[1].headers).toEqual(answers[2].headers);
    // The first refusal is Express's, from which the fast path learns the headers; it refuses the next itself.
    expect(fast.server.fastPath!.stats.refused).toBe(1);
    expect(fast.storeCalls() + apollo.storeCalls()).toBe(0);
    const logged = fast.logLines.filter((line) => line.status === 400);
    expect(logged.map((line) => line.errorCodes)).toEqual([['LIMIT_EXCEEDED'], ['LIMIT_EXCEEDED']]);
  });

  it('names the selection limit when one selection set is too wide', async () => {
    const wide = `{ ${'__typename '.repeat(101)}}`;
    const res = await fast.post({ query: wide });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.limit).toEqual({ name: 'selections', max: 100, actual: 101 });
  });

  it('lets a query within the limits through to be answered', async () => {
    const res = await fast.post({ query: `{ ${'__typename '.repeat(100)}}` });
    expect(res.status).toBe(200);
    expect(res.json.data.__typename).toBe('Query');
  });
});
