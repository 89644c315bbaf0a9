#!/usr/bin/env node
import { flush, handle, run } from '@oclif/core';

/**
 * oclif's message for a bad flag value, an unknown flag or a missing
 * argument, on one line: its own spans several lines and appends the
 * command's usage, while cvnet refuses all other bad input in one line.
 */
const oneLine = (message) =>
  message
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '' && !line.startsWith('See more help'))
    .reduce((text, line) => (text === '' ? line : `${text}${text.endsWith(':') ? ' ' : ': '}${line}`), '');

try {
  await run(process.argv.slice(2), import.meta.url);
  flush();
} catch (error) {
  // oclif's parse errors (CLIParseError and its kinds) carry the parse and whether to show help; a
  // flag's own parser failing (an integer flag given "abc") comes as "Parsing --flag" instead.
  const parseError = error !== null && typeof error === 'object' && 'parse' in error && 'showHelp' in error;
  if (parseError || (error instanceof Error && error.message.startsWith('Parsing --'))) {
    process.stderr.write(`Error: ${oneLine(error.message)} (see --help)\n`);
    process.exitCode = error.oclif?.exit ?? 2;
  } else {
    await handle(error);
  }
}
