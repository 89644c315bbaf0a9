/** Bearer tokens, compared in constant time with Web Crypto only (workerd has no node:crypto by default). */
import { HttpProblem } from './problem.js';

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/**
 * Whether `given` equals `expected`, in time independent of where they differ
 * and of their lengths: both are hashed to 32 bytes first, and all 32 are compared.
 */
export async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const CHALLENGE = 'Bearer realm="cvnet"';

/**
 * Passes when the Authorization header carries `Bearer <expected>`.
 *
 * @throws HttpProblem 401 (with a WWW-Authenticate challenge) otherwise.
 */
export async function requireBearer(header: string | undefined, expected: string, what: string): Promise<void> {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  if (match === null) {
    throw new HttpProblem('unauthorized', `this route needs the ${what} as "Authorization: Bearer <token>"`, { headers: { 'WWW-Authenticate': CHALLENGE } });
  }
  if (!(await tokensEqual(match[1]!, expected))) {
    throw new HttpProblem('unauthorized', `the bearer token is not the ${what}`, {
      headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` },
    });
  }
}
