// Generates src/model/model-validator.generated.ts: ajv's standalone code
// for the JSON Schema that zod derives from the model schema, so that
// reading a model file (the start-up of cvnet predict and classify) need not
// load and build the zod model schema, which with its first parse costs
// ~55 ms. zod stays the source of truth: the generated function only says
// "certainly valid" (the caller then uses the JSON as is) and everything it
// rejects goes to zod, which gives the error message.
//
// Only what a JSON Schema states exactly is generated, so that an accepted
// file is one zod accepts and returns unchanged:
// - io: 'output': a field with a zod default must be present (zod would fill
//   it in, the fast path cannot);
// - a trim (zod's overwrite) becomes a pattern that only already-trimmed
//   strings match, as zod would return any other string changed;
// - a refinement is allowed only when it is one of the functions the caller
//   names (src/indicators/rule-checks.ts), each found exactly once: the fast
//   path runs those functions itself (src/model/fast-parse.ts);
// - any other check (a regex with flags, a transform, …) stops the
//   generation, so a later change to the schema cannot silently skip a check.
//
// Used by src/model/fast-parse.test.ts, which fails when the committed file
// differs from a fresh generation and rewrites it with
//   CVNET_UPDATE_SCHEMA=1 npx vitest run packages/core/src/model
// (the same switch that rewrites the published JSON Schema).
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { z } from 'zod';

/** zod check kinds whose JSON Schema keywords ajv evaluates exactly as zod does. */
const EXACT = new Set(['number_format', 'greater_than', 'less_than', 'min_length', 'max_length', 'length_equals']);

/** Strings with no white space at either end, as String.prototype.trim leaves them (JavaScript's \\s is trim's set). */
const TRIMMED = '^(?:\\S(?:[\\s\\S]*\\S)?)?$';

/** Whether zod's overwrite function `tx` is String.prototype.trim (probed, not read from its source). */
const isTrim = (tx) => ['', ' a ', '\u00a0b\n', '\ufeffc\u2028', 'd\te'].every((s) => tx(s) === s.trim());

/**
 * The JSON Schema of `modelSchema`; `refinements` maps each refinement the
 * fast path runs to its name, and each must be met in exactly one place.
 * (zod visits a schema derived by a check and the one it was derived from,
 * so one place can be reported more than once.)
 */
function modelJsonSchema(modelSchema, refinements) {
  const met = new Map([...refinements.values()].map((name) => [name, new Set()]));
  const schema = z.toJSONSchema(modelSchema, {
    target: 'draft-07',
    io: 'output',
    unrepresentable: 'throw',
    override: ({ zodSchema, jsonSchema, path }) => {
      for (const check of zodSchema._zod.def.checks ?? []) {
        const def = check._zod.def;
        if (EXACT.has(def.check)) continue;
        if (def.check === 'string_format' && def.format === 'regex' && def.pattern.flags === '') continue; // ajv's pattern, same meaning without flags
        if (def.check === 'overwrite' && isTrim(def.tx) && (jsonSchema.pattern ?? TRIMMED) === TRIMMED) {
          jsonSchema.pattern = TRIMMED;
          continue;
        }
        const name = def.check === 'custom' ? refinements.get(def.fn) : undefined;
        if (name !== undefined) {
          met.get(name).add(JSON.stringify(path));
          continue;
        }
        throw new Error(`model schema: a "${def.check}" check has no exact JSON Schema; extend scripts/model-validator.js or leave that part to zod`);
      }
    },
  });
  for (const [name, places] of met) {
    if (places.size !== 1) throw new Error(`model schema: refinement ${name} found in ${places.size} places, expected one (the fast path runs it in one place)`);
  }
  return schema;
}

/** Source of the generated TypeScript module for `modelSchema` (refinements: see modelJsonSchema). */
export function modelValidatorSource(modelSchema, refinements) {
  const ajv = new Ajv({
    code: { source: true, esm: true, lines: true },
    // zod's string lengths count UTF-16 units, as JavaScript's .length does;
    // it also keeps ajv's ucs2length (an import of ajv at run time) out of the
    // code. ajv 8 still honours the option but warns that it is deprecated.
    unicode: false,
    logger: {
      log: console.log,
      warn: (message) => {
        if (!String(message).startsWith('DEPRECATED: option unicode')) throw new Error(`ajv: ${message}`);
      },
      error: (message) => {
        throw new Error(`ajv: ${message}`);
      },
    },
    // zod refuses NaN and ±Infinity (JSON.parse turns 1e999 into Infinity).
    strictNumbers: true,
    // No one reads ajv's messages: a rejected file goes to zod for its own.
    messages: false,
  });
  const code = standaloneCode(ajv, ajv.compile(modelJsonSchema(modelSchema, refinements)));
  // ajv is a devDependency: the generated module must not need it at run time.
  if (/\brequire\(|^import /m.test(code)) throw new Error('generated model validator imports a module; it must be self-contained');
  return `// Generated by packages/core/scripts/model-validator.js from the zod model schema: do not edit.
// Regenerate with: CVNET_UPDATE_SCHEMA=1 npx vitest run packages/core/src/model
// @ts-nocheck
${code}
`;
}
