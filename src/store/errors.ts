/** Errors a client can cause by what it asks the store for. */

/** A bad argument: names the argument path (e.g. `filter.places`) so the client knows what to fix. */
export class InvalidArgumentError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
    this.name = 'InvalidArgumentError';
  }
}
