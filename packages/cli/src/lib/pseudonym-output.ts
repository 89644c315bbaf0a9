/**
 * `--pseudonymize` for the method commands (classify, run, report, sample):
 * the id mapping for every file written, whether the report may name
 * customers, and error messages that never echo a raw id.
 */
import { pseudonymizerFromEnv } from '@cvnet/core/scoring';

/** Identity, or the keyed HMAC pseudonymiser when `--pseudonymize` is given. */
export function idMapper(pseudonymize: boolean): (id: string) => string {
  return pseudonymize ? pseudonymizerFromEnv(process.env) : (id) => id;
}

export interface IdPolicy {
  /** Applied to every id written (CSV, JSON lines, report, log). */
  ids: (id: string) => string;
  /** Whether the report names customers: asked for with --show-ids, or the ids are pseudonyms. */
  showIds: boolean;
  pseudonymized: boolean;
}

/**
 * @throws OptionsError naming CVNET_PSEUDONYM_KEY when pseudonymising without a key.
 */
export function idPolicy(pseudonymize: boolean, showIds = false): IdPolicy {
  return { ids: idMapper(pseudonymize), showIds: showIds || pseudonymize, pseudonymized: pseudonymize };
}

/**
 * The messages that quote a customer id (duplicate ids, from the scorer and
 * the quality policy) quote its pseudonym instead, so a pseudonymised run
 * leaks no id even in its error line. Other messages name rows and columns only.
 */
export function pseudonymizeError(error: unknown, policy: IdPolicy | undefined): unknown {
  if (!policy?.pseudonymized || !(error instanceof Error)) return error;
  error.message = error.message.replace(/customer id ("(?:[^"\\]|\\.)*")/g, (_, quoted: string) => {
    let raw: string;
    try {
      raw = JSON.parse(quoted) as string;
    } catch {
      return 'customer id (pseudonymised)';
    }
    return `customer id ${policy.ids(raw)}`;
  });
  return error;
}
