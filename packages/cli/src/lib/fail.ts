import type { Command } from '@oclif/core';
import { CvnetError } from '@cvnet/core/lean';

/** Exit code for bad input (data, model or options), as opposed to bugs. */
export const BAD_INPUT = 2;

/**
 * Reports a CvnetError as exactly one line on stderr (with --json, also as
 * JSON on stdout: see JsonCommand) and exits with BAD_INPUT; anything else is a bug and keeps its
 * stack trace. The line is written directly because oclif's error printer
 * hard-wraps at 80 columns when stderr is not a terminal, which would split
 * the message in logs and for grep.
 */
export function fail(command: Command, error: unknown): never {
  if (!(error instanceof CvnetError)) throw error;
  // oclif's catch keeps an exit code that is already set, also for --json.
  process.exitCode = BAD_INPUT;
  process.stderr.write(`Error: ${error.message}\n`);
  // With --json, oclif's catch also prints the error as JSON on stdout (JsonCommand's form).
  if (command.jsonEnabled()) command.error(error.message, { exit: BAD_INPUT, code: error.code });
  return command.exit(BAD_INPUT);
}
