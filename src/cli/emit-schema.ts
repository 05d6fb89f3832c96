/** `npm run schema`: writes schema.graphql and the data files' JSON Schemas from the code. */
import 'reflect-metadata';
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { dataSchemaFiles } from '../data/json-schema-files';
import { printDatelineSchema } from '../schema/build-schema';

const root = path.resolve(__dirname, '..', '..');
writeFileSync(path.join(root, 'schema.graphql'), printDatelineSchema());
const dir = path.join(root, 'events', 'schema');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(dataSchemaFiles())) writeFileSync(path.join(dir, name), text);
process.stdout.write(`wrote schema.graphql and ${Object.keys(dataSchemaFiles()).length} files in events/schema/\n`);
