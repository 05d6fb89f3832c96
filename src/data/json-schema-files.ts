/** The text of the JSON Schema files under `events/schema/`, made from the TypeBox schemas. */
import { DATA_FILE_SCHEMAS } from './schema';

/** File name to file text, for every data file's JSON Schema. */
export function dataSchemaFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DATA_FILE_SCHEMAS).map(([name, schema]) => [
      name,
      `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', $id: name, ...schema }, null, 2)}\n`,
    ]),
  );
}
