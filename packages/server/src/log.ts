/** Structured logs: one JSON object per line, every request line carrying its request id. */

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

/** Receives log entries (without the time; the sink adds it). */
export type Logger = (entry: LogEntry) => void;

/** A logger writing JSON lines through `write` (stdout on Node, console.log on workerd). */
export function jsonLogger(write: (line: string) => void): Logger {
  return (entry) => write(JSON.stringify({ time: new Date().toISOString(), ...entry }));
}

/** Drops everything (the default when the host passes no logger). */
export const silent: Logger = () => {};

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's X-Request-Id when it is a plain token, else a new random one. */
export function requestIdOf(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}
