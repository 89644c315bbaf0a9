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
