import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { dataSchemaFiles } from '../../data/json-schema-files';
import { printDatelineSchema } from '../build-schema';

const root = path.resolve(__dirname, '..', '..', '..');

describe('committed schema files', () => {
  it('schema.graphql is what the code builds (run `npm run schema` when this fails)', () => {
    expect(readFileSync(path.join(root, 'schema.graphql'), 'utf8')).toBe(printDatelineSchema());
  });

  it.each(Object.entries(dataSchemaFiles()))('events/schema/%s is what src/data/schema.ts describes', (name, text) => {
    expect(readFileSync(path.join(root, 'events', 'schema', name), 'utf8')).toBe(text);
  });
});
