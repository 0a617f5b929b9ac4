/**
 * The `rill` process exit codes. Scripts and CI wrappers branch on these, so they are part of
 * the CLI's public contract and never change meaning.
 */
export const ExitCode = {
  /** The command succeeded. */
  Ok: 0,
  /** The script failed to parse or failed while running; the formatted error is on stderr. */
  ScriptError: 1,
  /** The command line was wrong (unknown command or option, missing or unreadable file). */
  Usage: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
