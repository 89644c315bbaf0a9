import { describe, expect, it } from 'vitest';
import { lineColumn, stripJsonComments } from './jsonc.js';

describe('stripJsonComments', () => {
  it('removes line and block comments but keeps // and /* inside strings', () => {
    const text = `{
  // a comment with "quotes"
  "url": "https://example.org/x", /* block
  comment */ "glob": "a/*b*/c", "q": "say \\"//hi\\"" // trailing
}`;
    expect(JSON.parse(stripJsonComments(text))).toEqual({ url: 'https://example.org/x', glob: 'a/*b*/c', q: 'say "//hi"' });
  });

  it('keeps line breaks so error positions still match the original text', () => {
    const text = '{\n// c\n"a": 1 /* x\ny */\n}';
    const stripped = stripJsonComments(text);
    expect(stripped.length).toBe(text.length);
    expect(stripped.split('\n').length).toBe(text.split('\n').length);
  });

  it('handles an escaped backslash right before the closing quote', () => {
    expect(JSON.parse(stripJsonComments('{"p": "C:\\\\"} // x'))).toEqual({ p: 'C:\\' });
  });

  it('rejects an unterminated block comment', () => {
    expect(() => stripJsonComments('{ /* never closed }')).toThrow(/unterminated/);
  });

  it('maps offsets to line and column', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
