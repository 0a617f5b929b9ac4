import type { S3Client } from '@aws-sdk/client-s3';

/** One request a client sent: the command's name and the If-Match it carried. */
export interface SentCommand {
  readonly command: string;
  readonly ifMatch: string | undefined;
}

/**
 * Record every command `client` sends from now on (once per command, whatever the SDK's
 * retries), through the client's own middleware stack: the requests are real.
 */
export function recordCommands(client: S3Client): SentCommand[] {
  const sent: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IfMatch?: string };
      sent.push({ command: String(context.commandName), ifMatch: input.IfMatch });
      return next(args);
    },
    { step: 'initialize', name: 'rillkitTestRecordCommands' },
  );
  return sent;
}

/** The command names of `sent`, in order. */
export function commandNames(sent: readonly SentCommand[]): string[] {
  return sent.map((s) => s.command);
}
