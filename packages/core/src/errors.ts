/**
 * Typed errors for everything cvnet rejects. Every error carries a stable
 * machine-readable `code`; the message says what was expected.
 */
export class CvnetError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CvnetError';
    this.code = code;
  }
}

/** A network, dataset or buffer has the wrong shape (sizes, lengths, columns). */
export class ShapeError extends CvnetError {
  constructor(message: string) {
    super('SHAPE', message);
    this.name = 'ShapeError';
  }
}

/** A value that must be a finite number is NaN or ±Infinity. */
export class NonFiniteError extends CvnetError {
  constructor(message: string) {
    super('NON_FINITE', message);
    this.name = 'NonFiniteError';
  }
}

/** Training or initialisation options are out of range. */
export class OptionsError extends CvnetError {
  constructor(message: string) {
    super('OPTIONS', message);
    this.name = 'OptionsError';
  }
}

/** The Wasm engine failed (abort inside the module, re-entrant call, bad module). */
export class EngineError extends CvnetError {
  constructor(message: string, options?: ErrorOptions) {
    super('ENGINE', message, options);
    this.name = 'EngineError';
  }
}

/** Where in a project config a problem is. */
export interface ConfigErrorDetail {
  /** Dotted path into the config, e.g. `indicators.3.rule.cuts`. */
  path?: string;
  /** Indicator id the problem belongs to, when there is one. */
  indicator?: string;
}

/** The project config (or a weight matrix in it) is invalid. */
export class ConfigError extends CvnetError {
  readonly path: string | undefined;
  readonly indicator: string | undefined;
  constructor(message: string, detail: ConfigErrorDetail = {}) {
    super('CONFIG', message);
    this.name = 'ConfigError';
    this.path = detail.path;
    this.indicator = detail.indicator;
  }
}

/** Where in the customer data a problem is. */
export interface DataErrorDetail {
  /** 1-based line/row number as the caller numbered the rows. */
  row?: number;
  column?: string;
  indicator?: string;
}

/** The customer data does not fit the config (missing column, bad value…). */
export class DataError extends CvnetError {
  readonly row: number | undefined;
  readonly column: string | undefined;
  readonly indicator: string | undefined;
  constructor(message: string, detail: DataErrorDetail = {}) {
    super('DATA', message);
    this.name = 'DataError';
    this.row = detail.row;
    this.column = detail.column;
    this.indicator = detail.indicator;
  }
}

/** A model file is not a cvnet model, has an unsupported version, or is malformed or inconsistent. */
export class ModelError extends CvnetError {
  constructor(message: string) {
    super('MODEL', message);
    this.name = 'ModelError';
  }
}
