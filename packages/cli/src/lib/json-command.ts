/**
 * The base of the commands with --json. In JSON mode a refused input is
 * fail()'s one line on stderr, as without --json, and on stdout the one JSON
 * value a script reads: {"error": {"code", "message"}}, not oclif's error
 * object with its internals ("oclif": {"exit": 2}, "name").
 */
import { Command } from '@oclif/core';

export abstract class JsonCommand extends Command {
  static override enableJsonFlag = true;

  protected override toErrorJson(error: unknown): unknown {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { error: { ...(typeof code === 'string' ? { code } : {}), message: typeof message === 'string' ? message : String(error) } };
  }
}
