/**
 * If-None-Match on GET (RFC 9110 13.1.2): `*` or a list of entity-tags,
 * compared weakly, so caches and clients that hold a weak or several
 * validators still get 304.
 */

/**
 * One list element (RFC 9110 5.6.1: empty elements are allowed): an
 * entity-tag, `[W/] "opaque"` with etagc = any visible character but DQUOTE,
 * or obs-text (RFC 9110 8.8.3), then a comma or the end.
 */
const ELEMENT = /[ \t]*(?:(?:W\/)?"([^"\x00-\x20\x7F]*)"[ \t]*)?(,|$)/y;

/** The opaque tags of an entity-tag list, or undefined when the value is not one. */
function opaqueTags(value: string): string[] | undefined {
  const tags: string[] = [];
  for (let at = 0; ; at = ELEMENT.lastIndex) {
    ELEMENT.lastIndex = at;
    const match = ELEMENT.exec(value);
    if (match === null) return undefined;
    if (match[1] !== undefined) tags.push(match[1]);
    if (match[2] === '') return tags;
  }
}

/**
 * Whether `If-None-Match` matches the current representation, whose strong
 * entity-tag is `"<opaque>"`: then GET answers 304. Weak comparison ignores
 * `W/`. An invalid field value is ignored (no match): a 200 is always safe,
 * a 304 for a tag that was never sent would keep a stale copy in use.
 */
export function notModified(ifNoneMatch: string | undefined, opaque: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return opaqueTags(ifNoneMatch)?.includes(opaque) ?? false;
}
