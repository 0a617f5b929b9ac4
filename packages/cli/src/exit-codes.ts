/**
 * The `rill` process exit codes. Scripts and CI wrappers branch on these, so they are part of
 * the CLI's public contract and never change meaning.
 */
export const ExitCode = {
  /** The command succeeded. */
  Ok: 0,
  /** The script failed to parse or failed while running; the formatted error is on stderr. */
  ScriptError: 1,
  /**
   * The command line or the config was wrong: unknown command or option, missing argument,
   * unreadable script, bad `--var`, an invalid config file, a backend package that is not
   * installed. Nothing ran.
   */
  Usage: 2,
  /**
   * The user interrupted the script (Ctrl-C / SIGINT): it was aborted through its
   * AbortSignal (`LIMIT_ABORTED` on stderr) and the extensions were disposed, so every
   * write the script saw complete is persisted. 128 + SIGINT (2), the shell convention.
   */
  Interrupted: 130,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
