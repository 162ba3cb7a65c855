/** Wrong or missing command-line input: the CLI prints the message with the usage and exits with 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
