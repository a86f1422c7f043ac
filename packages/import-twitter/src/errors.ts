/**
 * The one error this package throws for bad input. Its message names the file (and position where
 * there is one) and says what to do, so a command line can print it as it is.
 */
export class TwitterImportError extends Error {
  override name = 'TwitterImportError';
}
