/** Problems found in data files, each one naming the file, the field and what was expected. */

/** One problem in one data file. */
export interface DataProblem {
  /** Path of the file, as given to the loader (with `:line N` for NDJSON). */
  file: string;
  /** Field path inside the record, like `casualties[0].count`; empty for the whole file. */
  path: string;
  message: string;
}

/** Formats a problem as the single line the loader and `npm run validate` print. */
export function formatProblem(p: DataProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** Most problems printed; the rest are counted. */
export const MAX_PRINTED_PROBLEMS = 100;

/** Thrown when the data cannot be served; carries every problem found, not just the first (the message prints the first 100). */
export class DataError extends Error {
  constructor(readonly problems: DataProblem[]) {
    const more = problems.length - MAX_PRINTED_PROBLEMS;
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the data:\n` +
        problems.slice(0, MAX_PRINTED_PROBLEMS).map(formatProblem).join('\n') +
        (more > 0 ? `\n... and ${more} more problem${more === 1 ? '' : 's'} not shown; fix these and run again` : ''),
    );
    this.name = 'DataError';
  }
}

/** Describes a value for a message: strings quoted, objects summarised. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
