/**
 * Reading a request body with Web-standard APIs only: the media type decides
 * the parser, the byte limit is enforced while reading (a declared
 * Content-Length past it is refused before reading anything).
 */
import { HttpProblem } from './problem.js';

export type BodyKind = 'json' | 'csv';

const MEDIA_TYPES: Readonly<Record<string, BodyKind>> = { 'application/json': 'json', 'text/csv': 'csv' };

/** The body kind of a Content-Type header, or a 415 problem listing what is accepted. */
export function bodyKind(contentType: string | undefined, accepted: readonly BodyKind[]): BodyKind {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const kind = MEDIA_TYPES[media];
  if (kind !== undefined && accepted.includes(kind)) return kind;
  const names = Object.keys(MEDIA_TYPES).filter((m) => accepted.includes(MEDIA_TYPES[m]!));
  throw new HttpProblem(
    'unsupported-media-type',
    `Content-Type ${media === '' ? '(missing)' : JSON.stringify(media)} is not accepted here; send ${names.join(' or ')}`,
    { headers: { Accept: names.join(', ') } },
  );
}

/**
 * `unread` when the server stops reading part way: the rest of the body is
 * still on the connection, so it cannot carry another request and the answer
 * must say that it closes (RFC 9112 9.6). A body refused by its Content-Length
 * alone needs no close: the host reads and drops it. Workers' runtime owns
 * client connections and drops this hop-by-hop header.
 */
const tooLarge = (limit: number, unread = false): HttpProblem =>
  new HttpProblem('body-too-large', `the request body is larger than the limit of ${limit} bytes`, unread ? { headers: { Connection: 'close' } } : {});

/**
 * The body as UTF-8 text, at most `limit` bytes.
 *
 * @throws HttpProblem 413 past the limit, 400 for bytes that are not UTF-8.
 */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit, true);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem('malformed-body', 'the request body is not valid UTF-8');
  }
}

/**
 * JSON.parse with a 400 problem instead of a SyntaxError. The parser's own
 * message is left out: it differs between JavaScript engines, and Node and
 * workerd must answer alike.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem('malformed-body', text.trim() === '' ? 'the request body is empty; expected JSON' : 'the request body is not valid JSON');
  }
}
