/**
 * Where the CLI writes. Injected so tests can run commands in-process and capture output
 * without spawning a process per case.
 */
export interface CliIo {
  /** Results and `--help` / `--version` output. */
  stdout(text: string): void;
  /** Diagnostics: formatted errors and the script's `log` output. */
  stderr(text: string): void;
}

/** The real process streams. */
export const processIo: CliIo = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
};
