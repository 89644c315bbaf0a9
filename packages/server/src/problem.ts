/**
 * RFC 9457 problem details: every error the API answers is
 * `application/problem+json` with a stable `type`, and for invalid input the
 * JSON Pointer of every bad value. Never a stack trace.
 */

/** One invalid value: where it is and what was expected. */
export interface FieldIssue {
  /** JSON Pointer (RFC 6901) as a URI fragment into the request body, e.g. `#/3/recency`. */
  pointer: string;
  detail: string;
  /** 1-based line of a CSV request body. */
  line?: number;
}

/** At most this many issues are listed; a batch of 10 000 bad rows would otherwise answer megabytes. */
export const MAX_ISSUES = 1000;

/** Invalid values in the order they are found: all counted, the first MAX_ISSUES kept to list. */
export class IssueList {
  readonly listed: FieldIssue[] = [];
  count = 0;

  constructor(issues: readonly FieldIssue[] = []) {
    for (const issue of issues) this.add(issue);
  }

  /** Whether more issues are only counted. */
  get full(): boolean {
    return this.listed.length >= MAX_ISSUES;
  }

  add(issue: FieldIssue): void {
    this.count++;
    if (!this.full) this.listed.push(issue);
  }
}

/** The problem types this API uses; `type` links to their section of the docs page. */
export const PROBLEMS = {
  'malformed-body': { status: 400, title: 'Malformed request body' },
  'invalid-query': { status: 400, title: 'Invalid query parameter' },
  unauthorized: { status: 401, title: 'Missing or wrong bearer token' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'body-too-large': { status: 413, title: 'Request body too large' },
  'too-many-customers': { status: 413, title: 'Too many customers in one request' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'unsupported-content-encoding': { status: 415, title: 'Unsupported content coding' },
  'invalid-values': { status: 422, title: 'Invalid values' },
  'invalid-model': { status: 422, title: 'Invalid model' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'not-ready': { status: 503, title: 'No model loaded' },
} as const;

export type ProblemType = keyof typeof PROBLEMS;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Echo of the request id, also in the `X-Request-Id` response header. */
  requestId?: string;
  errors?: FieldIssue[];
}

/** Thrown anywhere in a handler; the app's error handler turns it into a response. */
export class HttpProblem extends Error {
  readonly problem: ProblemType;
  readonly errors: FieldIssue[] | undefined;
  readonly headers: Record<string, string>;
  constructor(problem: ProblemType, detail: string, extra: { errors?: FieldIssue[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'HttpProblem';
    this.problem = problem;
    this.errors = extra.errors;
    this.headers = extra.headers ?? {};
  }

  get status(): number {
    return PROBLEMS[this.problem].status;
  }
}

/** The `type` URI of a problem: its anchor on the server's own docs page. */
export const problemTypeUri = (problem: ProblemType): string => `/docs#problem-${problem}`;

export function problemBody(error: HttpProblem, requestId: string | undefined): ProblemBody {
  const { status, title } = PROBLEMS[error.problem];
  return {
    type: problemTypeUri(error.problem),
    title,
    status,
    detail: error.message,
    ...(requestId === undefined ? {} : { requestId }),
    ...(error.errors === undefined ? {} : { errors: error.errors }),
  };
}

/** `#/0/recency` from path segments (RFC 6901 escaping of `~` and `/`). */
export function pointer(path: readonly PropertyKey[]): string {
  return `#${path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`;
}
