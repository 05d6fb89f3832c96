/**
 * Counts a query's fields and its widest selection set in one pass over its characters, without building the
 * document: about a microsecond per hundred characters, so that a document with hundreds of copies of a field is
 * refused for far less CPU than parsing it (and much less than graphql-js's overlap validation) would take.
 *
 * For a document that parses, the counts are those of its syntax tree (each written field once, fragments counted
 * where they are written; `document-limits.rule.test.ts` checks this against the parser on generated queries).
 * The scan does not check syntax: a document that does not parse gets counts that follow the same rules.
 */

/** What {@link scanSelections} found. */
export interface SelectionScan {
  /** Fields written in the document (an alias and its field count once). */
  fields: number;
  /** Selections (fields, fragment spreads, inline fragments) in the widest selection set. */
  widest: number;
  /** Lexical tokens as the parser counts them (comments and commas not counted); stops past `maxTokens`. */
  tokens: number;
}

const enum Char {
  Tab = 9,
  LineFeed = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Hash = 35,
  LeftParen = 40,
  RightParen = 41,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Colon = 58,
  At = 64,
  Backslash = 92,
  LeftBrace = 123,
  RightBrace = 125,
  Bom = 0xfeff,
}

/** What the token before the one being read makes of a name. */
const enum After {
  Nothing,
  /** `@`: the name is a directive's. */
  At,
  /** `...`: the name is a fragment's, or `on` before a type condition. */
  Spread,
  /** `... on`: the name is a type's. */
  On,
}

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isNameContinue = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isNumberPart = (c: number) => (c >= 48 && c <= 57) || c === Char.Dot || c === Char.Minus || c === 43 || c === 101 || c === 69;

/** The index just past the string or block string that starts at `i` (a `"`). */
function skipString(query: string, i: number): number {
  if (query.charCodeAt(i + 1) === Char.Quote && query.charCodeAt(i + 2) === Char.Quote) {
    const end = query.indexOf('"""', i + 3);
    let close = end;
    // `\"""` inside a block string is an escaped delimiter, not its end.
    while (close > 0 && query.charCodeAt(close - 1) === Char.Backslash) close = query.indexOf('"""', close + 3);
    return close < 0 ? query.length : close + 3;
  }
  for (let j = i + 1; j < query.length; j++) {
    const c = query.charCodeAt(j);
    if (c === Char.Backslash) j++;
    else if (c === Char.Quote) return j + 1;
    else if (c === Char.LineFeed || c === Char.Return) return j; // unterminated: the parser will say so
  }
  return query.length;
}

/** Counts the fields, widest selection set and tokens of `query`; stops counting once tokens pass `maxTokens`. */
export function scanSelections(query: string, maxTokens: number): SelectionScan {
  let fields = 0;
  let widest = 0;
  let tokens = 0;
  let parens = 0; // inside arguments, variable definitions or directive arguments: names there are not fields
  const widths: number[] = []; // selections so far in each open selection set, outermost first
  let pending = false; // a name was read that is a field unless a `:` (alias) follows
  let after: After = After.Nothing;
  const field = () => {
    fields++;
    widths[widths.length - 1]++;
  };
  let i = 0;
  while (i < query.length && tokens <= maxTokens) {
    const c = query.charCodeAt(i);
    if (c === Char.Space || c === Char.Tab || c === Char.LineFeed || c === Char.Return || c === Char.Comma || c === Char.Bom) {
      i++;
      continue;
    }
    if (c === Char.Hash) {
      while (i < query.length && query.charCodeAt(i) !== Char.LineFeed && query.charCodeAt(i) !== Char.Return) i++;
      continue;
    }
    tokens++;
    // A name read just before is a field unless this token is the `:` that makes it an alias.
    if (pending) {
      pending = false;
      if (c !== Char.Colon) field();
    }
    const inSelectionSet = parens === 0 && widths.length > 0;
    if (isNameStart(c)) {
      const start = i;
      while (i < query.length && isNameContinue(query.charCodeAt(i))) i++;
      if (after === After.Spread && i - start === 2 && query.startsWith('on', start)) after = After.On;
      else {
        if (after === After.Nothing && inSelectionSet) pending = true;
        after = After.Nothing;
      }
      continue;
    }
    after = After.Nothing;
    if (c === Char.Dot && query.startsWith('...', i)) {
      if (inSelectionSet) widths[widths.length - 1]++;
      after = After.Spread;
      i += 3;
      continue;
    }
    if (c === Char.Quote) {
      i = skipString(query, i);
      continue;
    }
    if (c === Char.Minus || (c >= 48 && c <= 57)) {
      while (i < query.length && isNumberPart(query.charCodeAt(++i)));
      continue;
    }
    if (c === Char.At) after = After.At;
    else if (c === Char.LeftParen) parens++;
    else if (c === Char.RightParen) parens = Math.max(0, parens - 1);
    else if (c === Char.LeftBrace && parens === 0) widths.push(0);
    else if (c === Char.RightBrace && parens === 0 && widths.length > 0) widest = Math.max(widest, widths.pop()!);
    i++;
  }
  if (pending) field();
  for (const width of widths) widest = Math.max(widest, width); // sets left open by a document that does not parse
  return { fields, widest, tokens };
}
