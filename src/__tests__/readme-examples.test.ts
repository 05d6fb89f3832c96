import { getNamedType, isInterfaceType, isObjectType, Kind, parse, TypeInfo, visit, visitWithTypeInfo, type SelectionSetNode } from 'graphql';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildDatelineSchema } from '../schema/build-schema';
import { startEditingServer, type EditingTestServer } from '../test-support/editing-server';
import { startTestServer, type TestServer } from '../test-support/test-server';

const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
/** The "Editing" section: its examples change data, so they run in order against a server of their own. */
const editingStart = readme.indexOf('\n## Editing\n');
const editingEnd = readme.indexOf('\n## ', editingStart + 1);

/** Every ```graphql block in `text` that is directly followed by a ```json block: a query and its answer. */
function examplesIn(text: string) {
  return [...text.matchAll(/### (.+)\n\n```graphql\n([\s\S]*?)\n```\n\n```json\n([\s\S]*?)\n```/g)].map((m) => ({
    title: m[1],
    query: m[2],
    answer: JSON.parse(m[3]) as unknown,
  }));
}

const examples = examplesIn(readme.slice(0, editingStart) + readme.slice(editingEnd));
const editingExamples = examplesIn(readme.slice(editingStart, editingEnd));

let server: TestServer;
let editing: EditingTestServer;
beforeAll(async () => {
  [server, editing] = await Promise.all([startTestServer(), startEditingServer()]);
});
afterAll(() => Promise.all([server.stop(), editing.stop()]));

describe('README example queries', () => {
  it('shows an example for every root field', () => {
    const shown = examples.map((e) => e.query).join('\n');
    const missing = ['events', 'timeline', 'places', 'actors', 'sources', 'event', 'place', 'actor', 'source', 'node', 'nodes'].filter(
      (field) => !new RegExp(`\\b${field}\\(`).test(shown),
    );
    expect(missing).toEqual([]);
  });

  it('selects id wherever it selects an entity, as normalised caches (Apollo, urql Graphcache, Relay) need', () => {
    const schema = buildDatelineSchema();
    const typeInfo = new TypeInfo(schema);
    const withoutId: string[] = [];
    const selectsId = (set: SelectionSetNode): boolean =>
      set.selections.some((s) => (s.kind === Kind.FIELD && s.name.value === 'id' && !s.alias) || (s.kind === Kind.INLINE_FRAGMENT && selectsId(s.selectionSet)));
    for (const example of examples) {
      visit(
        parse(example.query),
        visitWithTypeInfo(typeInfo, {
          Field(node) {
            const type = getNamedType(typeInfo.getType());
            const entity = (isObjectType(type) || isInterfaceType(type)) && type.getInterfaces().some((i) => i.name === 'Node');
            const nodeInterface = type?.name === 'Node';
            if ((entity || nodeInterface) && node.selectionSet && !selectsId(node.selectionSet)) withoutId.push(`${example.title}: ${node.name.value}`);
          },
        }),
      );
    }
    expect(withoutId).toEqual([]);
  });

  it.each(examples.map((e) => [e.title, e] as const))('%s gives the answer shown', async (_title, example) => {
    const { body } = await server.graphql(example.query);
    expect(body).toEqual(example.answer);
  });
});

describe('README editing examples, in order, on a copy of the data', () => {
  it('shows an example of every mutation', () => {
    const shown = editingExamples.map((e) => e.query).join('\n');
    const missing = ['createEvent', 'updateEvent', 'retractEvent', 'restoreEvent', 'savePlace', 'saveActor', 'saveSource'].filter((field) => !new RegExp(`\\b${field}\\(`).test(shown));
    expect(missing).toEqual([]);
  });

  it.each(editingExamples.map((e) => [e.title, e] as const))('%s gives the answer shown', async (title, example) => {
    // The example of a refusal is sent without the token.
    const { body } = /without a token/i.test(title) ? await editing.graphql(example.query) : await editing.edit(example.query);
    expect(body).toEqual(example.answer);
  });
});
