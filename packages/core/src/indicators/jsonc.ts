/**
 * JSON with comments (JSONC), as written by `cvnet init`: `//` line comments
 * and `/* … *\/` block comments are allowed anywhere whitespace is.
 */
import { ConfigError } from '../errors.js';

/**
 * Replaces every comment outside string literals with spaces, keeping line
 * breaks, so that JSON.parse error positions still point at the user's text.
 * A `//` or `/*` inside a string (e.g. a URL) is left alone; escaped quotes
 * (`\"`) do not end a string.
 *
 * @throws SyntaxError for a block comment that is never closed.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"') {
      // Copy the whole string literal verbatim, honouring backslash escapes.
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      let j = i;
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      out += ' '.repeat(j - i);
      i = j;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new SyntaxError(`unterminated /* comment starting at offset ${i}`);
      out += text.slice(i, end + 2).replace(/[^\r\n]/g, ' ');
      i = end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** 1-based line and column of a character offset, for error messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Parses JSONC text (every cvnet config file: project config, mapping,
 * segment map, quality policy).
 *
 * @param file name used in the message.
 * @throws ConfigError "<file> is not valid JSON at line L, column C: …".
 */
export function parseJsonc(text: string, file: string): unknown {
  try {
    return JSON.parse(stripJsonComments(text));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, Number(pos[1]))) : '';
    throw new ConfigError(`${file} is not valid JSON${where}: ${msg}`);
  }
}
