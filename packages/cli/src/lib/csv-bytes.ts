/**
 * formatColumns' CSV (no header, no explanation columns) written straight
 * into UTF-8 bytes. Building the text as a string and encoding it cost more
 * than scoring on a million rows (rope flattening, then a UTF-8 pass over
 * 180 MB, most of it the same four strategy texts); here a strategy's bytes
 * are encoded once and copied, numbers are written as the same text
 * (`${x}`), and every field goes through the same csvField.
 */
import type { ScoredColumns } from '@cvnet/core';
import { csvField } from '@cvnet/core/data';

const encoder = new TextEncoder();
const COMMA = 44;
const NEWLINE = 10;

/**
 * Writes `value` at `at` (room checked by the caller): ASCII byte by byte,
 * anything else as UTF-8. Returns the position after it.
 */
function text(out: Uint8Array, at: number, value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 127) return at - i + encoder.encodeInto(value, out.subarray(at - i)).written;
    out[at++] = c;
  }
  return at;
}

export class CsvBytes {
  /** Encoded csvField(strategy) per strategy text. */
  private readonly fields = new Map<string, Uint8Array>();
  /**
   * The text of C per value: C is a weighted mean of a few integer scores,
   * so a file has few distinct values, and a lookup is cheaper than the
   * shortest round-trip conversion. Bounded, for unusual weightings.
   */
  private readonly currentValues = new Map<number, string>();

  /**
   * Where lines are written, kept from block to block: growing a fresh buffer
   * for every block of a large file allocated several times the output.
   */
  private scratch = new Uint8Array(1 << 16);

  constructor(private readonly ids: (id: string) => string) {}

  /** The rows of `s` as CSV lines, byte-identical to encoding formatColumns' text. */
  write(s: ScoredColumns): Uint8Array<ArrayBuffer> {
    const n = s.indicators.length;
    let out = this.scratch;
    let at = 0;
    for (let r = 0; r < s.ids.length; r++) {
      const id = csvField(this.ids(s.ids[r]!));
      const strategy = this.strategy(s.strategies[r]!);
      // Worst case of the line: 3 bytes a UTF-16 unit of the id, 25 a number.
      const need = 3 * id.length + strategy.length + 25 * (n + 4);
      if (at + need > out.length) {
        const grown = new Uint8Array(Math.max(2 * out.length, at + need));
        grown.set(out.subarray(0, at));
        out = grown;
        this.scratch = grown;
      }
      at = text(out, at, id);
      out[at++] = COMMA;
      at = text(out, at, this.currentValue(s.C[r]!));
      out[at++] = COMMA;
      // Band and class are a digit and a letter, never quoted.
      out[at++] = 48 + s.bands[r]!;
      out[at++] = COMMA;
      at = text(out, at, `${s.K[r]!}`);
      out[at++] = COMMA;
      out[at++] = s.classes[r]!.charCodeAt(0);
      out[at++] = COMMA;
      out.set(strategy, at);
      at += strategy.length;
      for (let j = r * n, end = j + n; j < end; j++) {
        out[at++] = COMMA;
        const v = s.scores[j]!;
        // Scores are integers 1–5: one digit, the same as `${v}`.
        if (v >= 1 && v <= 5 && Number.isInteger(v)) out[at++] = 48 + v;
        else at = text(out, at, `${v}`);
      }
      out[at++] = NEWLINE;
    }
    return out.slice(0, at);
  }

  private currentValue(c: number): string {
    let value = this.currentValues.get(c);
    if (value === undefined) {
      value = `${c}`;
      if (this.currentValues.size < 4096) this.currentValues.set(c, value);
    }
    return value;
  }

  private strategy(value: string): Uint8Array {
    let field = this.fields.get(value);
    if (field === undefined) {
      field = encoder.encode(csvField(value));
      this.fields.set(value, field);
    }
    return field;
  }
}
