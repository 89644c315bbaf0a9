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

/**
 * What is wrong with a configured token, or undefined. A token with white
 * space in it (often a newline left by a secret file) could never match:
 * a bearer token is one run of visible characters (RFC 6750, section 2.1).
 */
function tokenProblem(name: string, value: string): string | undefined {
  if (/\s/.test(value)) return `${name} contains white space, which a bearer token cannot carry (a line break from a secret file?)`;
  if (value.length < 16) return `${name} is shorter than 16 characters; use a long random token`;
  return undefined;
}

/** The server's tokens as configured in the environment (empty means unset), with what is wrong with any of them. */
export function tokensFromEnv(env: { readonly CVNET_API_TOKEN?: string | undefined; readonly CVNET_ADMIN_TOKEN?: string | undefined }): { apiToken?: string; adminToken?: string; problems: string[] } {
  const problems: string[] = [];
  const token = (name: 'CVNET_API_TOKEN' | 'CVNET_ADMIN_TOKEN'): string | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const problem = tokenProblem(name, value);
    if (problem !== undefined) problems.push(problem);
    return value;
  };
  const apiToken = token('CVNET_API_TOKEN');
  const adminToken = token('CVNET_ADMIN_TOKEN');
  return { ...(apiToken === undefined ? {} : { apiToken }), ...(adminToken === undefined ? {} : { adminToken }), problems };
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
