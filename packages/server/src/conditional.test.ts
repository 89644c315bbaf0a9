import { describe, expect, it } from 'vitest';
import { notModified } from './conditional.js';

const hash = 'sha256:0123abcd';

describe('notModified (If-None-Match, RFC 9110 13.1.2)', () => {
  it('matches the strong tag, the weak tag (weak comparison), any element of a list and *', () => {
    for (const value of [`"${hash}"`, `W/"${hash}"`, `"x", "${hash}"`, `W/"x",W/"${hash}"`, ` , "a,b" ,, "${hash}" , `, '*', ' * ']) {
      expect(notModified(value, hash), value).toBe(true);
    }
  });

  it('does not match other tags, no header, or a value that is not an entity-tag list', () => {
    for (const value of [undefined, '', `"${hash}x"`, `"x", W/"y"`, hash, `w/"${hash}"`, `"${hash}" "x"`, `"${hash}`, `"x", *`, `"a b", "${hash}"`]) {
      expect(notModified(value, hash), String(value)).toBe(false);
    }
  });
});
