import { RillError } from '@rillkit/core';
import { Redis } from 'ioredis';
import { CommandWatchdog } from './command-watchdog.js';
import type { LuaScript } from './lua-scripts.js';
import { mapRedisError, unavailable } from './map-error.js';
import type { RedisKvClient } from './options.js';

/** What the connection needs to know about its client and its time bounds. */
export interface RedisConnectionOptions {
  /** A URL to open a connection of our own, or a host's client to borrow. */
  readonly url?: string | undefined;
  readonly client?: RedisKvClient | undefined;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
}

/** One key or argument of a script (always text: index names are built inside the scripts). */
export type ScriptArg = string;

/** A command name or argument in a transaction; index key names are bytes (they hold 0xFF). */
export type TransactionArg = string | Buffer;

/**
 * The one Redis connection all mounts of an extension share, with the guarantees the
 * backend relies on:
 * - a call never waits for a connection longer than `connectTimeout`, and no command much
 *   longer than `commandTimeout`; both end in `KV_BACKEND_UNAVAILABLE`, never a hang;
 * - a command is never queued while disconnected and never resent after a reconnect, so a
 *   write is attempted at most once per call (an optimistic update re-reads before it
 *   retries);
 * - after the server comes back, the client reconnects by itself and calls succeed again.
 *
 * An owned client (from `url`) is created with `lazyConnect` (no I/O until the first call),
 * no offline queue, no resending, and a reconnect backoff capped at one second; a
 * {@link CommandWatchdog} drops its socket when the oldest command in flight is older than
 * `commandTimeout`. A borrowed client keeps its own settings; each command is then raced
 * against a timer instead.
 */
export class RedisConnection {
  readonly client: RedisKvClient;
  private readonly owned: boolean;
  private readonly connectTimeout: number;
  private readonly commandTimeout: number;
  private readonly watchdog: CommandWatchdog | undefined;
  private waiting: Promise<void> | undefined;
  private lastError: unknown;
  /** Set while the watchdog has just dropped a connection that stopped answering. */
  private timedOut = false;
  private closed = false;
  private readonly onError = (error: unknown): void => {
    this.lastError = error;
  };
  private readonly onReady = (): void => {
    this.timedOut = false;
  };

  constructor(options: RedisConnectionOptions) {
    this.connectTimeout = options.connectTimeout;
    this.commandTimeout = options.commandTimeout;
    if (options.client !== undefined) {
      this.client = options.client;
      this.owned = false;
    } else {
      const client = new Redis(options.url as string, {
        lazyConnect: true,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        // Commands in flight fail at once when the connection drops instead of waiting for
        // a reconnect (their outcome is unknown; the caller gets UNAVAILABLE).
        maxRetriesPerRequest: 0,
        connectTimeout: options.connectTimeout,
        // A socket being closed on a server that stopped answering is destroyed soon after.
        disconnectTimeout: 100,
        retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
      });
      this.client = client;
      this.owned = true;
      this.watchdog = new CommandWatchdog(options.commandTimeout, () => {
        this.timedOut = true;
        // Destroying the socket fails every command in flight at once (a graceful close
        // would wait for a server that does not answer); ioredis then reconnects.
        (client.stream as typeof client.stream | undefined)?.destroy();
      });
    }
    // ioredis prints unhandled 'error' events; the extension reports them per call instead.
    this.client.on('error', this.onError);
    this.client.on('ready', this.onReady);
  }

  /**
   * Run a script (`EVALSHA`, falling back to `EVAL` when the server does not know it yet)
   * within the connection's time bounds.
   * @throws a coded kv error (see `mapRedisError`).
   */
  run(script: LuaScript, keys: readonly ScriptArg[], args: readonly ScriptArg[]): Promise<unknown> {
    // The common case stays one short promise chain: owned, ready, script already cached.
    if (this.watchdog !== undefined && this.client.status === 'ready') {
      return this.watchdog.watch(
        () => this.client.evalsha(script.sha, keys.length, ...keys, ...args),
        (error: unknown) => this.afterFailure(error, script, keys, args),
      );
    }
    return this.runWhenReady(script, keys, args);
  }

  /**
   * Run plain commands as one MULTI/EXEC transaction (atomic against every other client),
   * within the connection's time bounds; resolves with each command's reply.
   * @throws a coded kv error (see `mapRedisError`), also when one command failed.
   */
  async transaction(commands: readonly (readonly TransactionArg[])[]): Promise<unknown[]> {
    try {
      if (this.client.status !== 'ready') await this.ready();
      const exec = (): Promise<[Error | null, unknown][] | null> =>
        this.client.multi(commands as TransactionArg[][]).exec();
      const replies =
        this.watchdog !== undefined ? await this.watchdog.watch(exec) : await this.raced(exec());
      if (replies === null) throw new Error('the transaction was discarded');
      return replies.map(([error, reply]) => {
        if (error !== null) throw error;
        return reply;
      });
    } catch (error) {
      if (this.timedOut && !RillError.is(error)) {
        throw unavailable(
          `the Redis server did not answer within ${this.commandTimeout} ms`,
          error,
        );
      }
      throw mapRedisError(error);
    }
  }

  /**
   * Stop using the client. An owned client is closed (gracefully when the server answers in
   * time, at once otherwise); a borrowed one is left as it is.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watchdog?.stop();
    this.client.off('error', this.onError);
    this.client.off('ready', this.onReady);
    if (!this.owned) return;
    if (this.client.status === 'ready') {
      try {
        await this.raced(this.client.quit());
        return;
      } catch {
        // Fall through: the connection is going away either way.
      }
    }
    this.client.disconnect();
  }

  private async runWhenReady(
    script: LuaScript,
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    try {
      if (this.client.status !== 'ready') await this.ready();
      return await this.send(script.sha, 'evalsha', keys, args);
    } catch (error) {
      return this.afterFailure(error, script, keys, args);
    }
  }

  /** A command failed: send the whole script if the server did not know it, else map the error. */
  private async afterFailure(
    error: unknown,
    script: LuaScript,
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    try {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await this.send(script.source, 'eval', keys, args);
    } catch (failure) {
      if (this.timedOut && !RillError.is(failure)) {
        throw unavailable(
          `the Redis server did not answer within ${this.commandTimeout} ms`,
          failure,
        );
      }
      throw mapRedisError(failure);
    }
  }

  private send(
    script: string,
    command: 'evalsha' | 'eval',
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    const call = (): Promise<unknown> =>
      command === 'evalsha'
        ? this.client.evalsha(script, keys.length, ...keys, ...args)
        : this.client.eval(script, keys.length, ...keys, ...args);
    return this.watchdog !== undefined ? this.watchdog.watch(call) : this.raced(call());
  }

  /** Wait until the client is ready, for at most `connectTimeout` ms (one shared wait). */
  private ready(): Promise<void> {
    this.waiting ??= this.waitUntilReady().finally(() => {
      this.waiting = undefined;
    });
    return this.waiting;
  }

  private waitUntilReady(): Promise<void> {
    const client = this.client;
    if (this.closed) return Promise.reject(unavailable('the Redis connection has been closed'));
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end' && !this.owned)
      return Promise.reject(unavailable('the Redis client has been closed by its owner'));
    if (client.status === 'wait' || client.status === 'end') {
      // A failure is reported through 'error' and the timer below.
      client.connect().catch(() => undefined);
    }
    return new Promise<void>((resolve, reject) => {
      const done = (error?: unknown): void => {
        clearTimeout(timer);
        client.off('ready', onReady);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = (): void => done();
      const timer = setTimeout(() => {
        const reason = this.lastError instanceof Error ? `: ${this.lastError.message}` : ' in time';
        done(
          unavailable(
            `could not connect to the Redis server within ${this.connectTimeout} ms${reason}`,
            this.lastError,
          ),
        );
      }, this.connectTimeout);
      client.once('ready', onReady);
    });
  }

  /** Race a command of a borrowed client (or a quit) against `commandTimeout`. */
  private raced<T>(pending: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(unavailable(`the Redis server did not answer within ${this.commandTimeout} ms`)),
        this.commandTimeout,
      );
    });
    return Promise.race([pending, expiry]).finally(() => clearTimeout(timer));
  }
}
