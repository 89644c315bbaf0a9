/**
 * Reading a request body with Web-standard APIs only: the media type decides
 * the parser, the body must be UTF-8 without a content coding, and the byte
 * limit is enforced while reading (a declared Content-Length past it is
 * refused before reading anything).
 */
import { DataError } from '@cvnet/core';
import { decodeCsvBytes } from '@cvnet/core/csv-text';
import { HttpProblem } from './problem.js';

export type BodyKind = 'json' | 'csv';

const MEDIA_TYPES: Readonly<Record<string, BodyKind>> = { 'application/json': 'json', 'text/csv': 'csv' };

/**
 * The content codings of a Content-Encoding header beyond identity (which
 * means none, RFC 9110 8.4.1). The server reads bodies as they are: a
 * compressed body would otherwise be refused as broken UTF-8.
 */
function contentCodings(contentEncoding: string | null): string[] {
  return (contentEncoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
}

/**
 * The charset parameter of a Content-Type header, lower-cased and unquoted,
 * or undefined without one (RFC 9110 8.3.1: `type/subtype; name=value`).
 */
function charsetOf(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const [name, value = ''] = parameter.split('=', 2).map((p) => p.trim());
    if (name!.toLowerCase() === 'charset') return value.replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

/**
 * Whether a charset label names UTF-8 (the WHATWG labels: utf-8, utf8,
 * unicode-1-1-utf-8) or US-ASCII, which is a subset of it.
 */
function isUtf8Label(label: string): boolean {
  if (label === 'us-ascii' || label === 'ascii') return true;
  try {
    return new TextDecoder(label).encoding === 'utf-8';
  } catch {
    return false; // not a label the Encoding standard knows
  }
}

/**
 * The body kind of a request by its Content-Type, or a 415 problem: for a
 * media type not in `accepted` (the Accept header lists those), a charset
 * other than UTF-8, or a content coding (the Accept-Encoding header says
 * none is, as RFC 9110 12.5.3 asks).
 */
export function bodyKind(headers: Headers, accepted: readonly BodyKind[]): BodyKind {
  const codings = contentCodings(headers.get('content-encoding'));
  if (codings.length > 0) {
    throw new HttpProblem(
      'unsupported-content-encoding',
      `Content-Encoding ${codings.map((c) => JSON.stringify(c)).join(', ')} is not supported; send the body uncompressed`,
      { headers: { 'Accept-Encoding': 'identity' } },
    );
  }
  const contentType = headers.get('content-type') ?? '';
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  const kind = MEDIA_TYPES[media];
  const names = Object.keys(MEDIA_TYPES).filter((m) => accepted.includes(MEDIA_TYPES[m]!));
  const refuse = (detail: string): HttpProblem => new HttpProblem('unsupported-media-type', detail, { headers: { Accept: names.join(', ') } });
  if (kind === undefined || !accepted.includes(kind)) {
    throw refuse(`Content-Type ${media === '' ? '(missing)' : JSON.stringify(media)} is not accepted here; send ${names.join(' or ')}`);
  }
  // Bodies are read as UTF-8 (JSON must be UTF-8, RFC 8259 8.1); another charset would be misread.
  const charset = charsetOf(contentType);
  if (charset !== undefined && !isUtf8Label(charset)) {
    throw refuse(`charset ${JSON.stringify(charset)} is not accepted; only UTF-8 is: send the body in UTF-8, with charset=utf-8 or no charset`);
  }
  return kind;
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
 * @throws HttpProblem 413 past the limit, 400 for bytes that are not UTF-8
 *   (for a CSV body, naming line, column and byte as the CLI does).
 */
export async function readText(request: Request, limit: number, kind: BodyKind = 'json'): Promise<string> {
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
    // A CSV body is decoded as the CLI reads a file, so a bad byte is named by line and column.
    return kind === 'csv' ? decodeCsvBytes(bytes) : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new HttpProblem('malformed-body', error instanceof DataError ? error.message : 'the request body is not valid UTF-8');
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
