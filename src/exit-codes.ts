/** The exit codes every command uses; the README lists them. */
export const EXIT_OK = 0;
/** Problems were found (an `error` finding, or damage in a capture). */
export const EXIT_PROBLEMS = 1;
/** Bad usage, or an input that cannot be read at all. */
export const EXIT_BAD_INPUT = 2;

/**
 * An error whose message is meant for the user as is: it names the file (and offset or
 * line) and what was expected. The CLI prints the message, never a stack, and exits 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}
