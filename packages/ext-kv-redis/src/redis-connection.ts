import { RillError } from '@rillkit/core';
import { Redis } from 'ioredis';
import { CommandWatchdog } from './command-watchdog.js';
import { FUNCTION_LIBRARY, type LuaScript } from './lua-scripts.js';
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
  /**
   * How scripts run: `'functions'` (FCALL into {@link FUNCTION_LIBRARY}, loaded on first
   * use and again whenever the server has lost it) until the server shows it cannot (older
   * than Redis 7, or an ACL denying FCALL / FUNCTION LOAD), then `'eval'` (EVALSHA, EVAL
   * after NOSCRIPT). A Cluster client always uses `'eval'`: a library would have to be
   * loaded on every node, while EVALSHA's fallback reaches the node that needs the script.
   */
  private scripting: 'functions' | 'eval';
  /** The library load in progress, shared by the calls that found it missing. */
  private loading: Promise<void> | undefined;
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
    this.scripting =
      (this.client as { isCluster?: boolean }).isCluster === true ? 'eval' : 'functions';
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
      const sent = this.scripting === 'functions' ? 'fcall' : 'evalsha';
      return this.watchdog.watch(
        () =>
          sent === 'fcall'
            ? this.client.fcall(script.fn, keys.length, ...keys, ...args)
            : this.client.evalsha(script.sha, keys.length, ...keys, ...args),
        (error: unknown) => this.afterFailure(error, sent, script, keys, args),
      );
    }
    return this.runWhenReady(script, keys, args);
  }

  /**
   * Send one plain command (`send` gets the client) within the connection's time bounds.
   * @throws a coded kv error (see `mapRedisError`).
   */
  command<T>(send: (client: RedisKvClient) => Promise<T>): Promise<T> {
    if (this.watchdog !== undefined && this.client.status === 'ready') {
      return this.watchdog.watch(
        () => send(this.client),
        (error: unknown) => {
          throw this.failure(error);
        },
      );
    }
    return this.commandWhenReady(send);
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

  private async commandWhenReady<T>(send: (client: RedisKvClient) => Promise<T>): Promise<T> {
    try {
      if (this.client.status !== 'ready') await this.ready();
      return await this.bounded(() => send(this.client));
    } catch (error) {
      throw this.failure(error);
    }
  }

  private async runWhenReady(
    script: LuaScript,
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    const sent = this.scripting === 'functions' ? 'fcall' : 'evalsha';
    try {
      if (this.client.status !== 'ready') await this.ready();
      return await this.send(script, sent, keys, args);
    } catch (error) {
      return this.afterFailure(error, sent, script, keys, args);
    }
  }

  /**
   * A script call failed: load the library or send the whole script when the server did
   * not know it, switch to EVAL when the server cannot run functions, else map the error.
   */
  private async afterFailure(
    error: unknown,
    sent: 'fcall' | 'evalsha',
    script: LuaScript,
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    // Decided by what was sent, not by the current mode, so that calls already in flight
    // when the mode changes are retried too. An FCALL refused with OOM (a server at
    // maxmemory refuses every call of a function that may write, before it runs) is sent
    // again as EVAL, which the server stops only at a command that needs memory: deletes
    // and reads still work on a full server, as they do with plain scripts.
    try {
      const message = error instanceof Error ? error.message : '';
      if (message.startsWith('NOSCRIPT')) return await this.send(script, 'eval', keys, args);
      if (sent === 'fcall') {
        if (message.startsWith('ERR Function not found')) {
          if (await this.loadLibrary()) return await this.send(script, 'fcall', keys, args);
          return await this.send(script, 'eval', keys, args);
        }
        if (cannotRunFunctions(message)) {
          this.scripting = 'eval';
          return await this.send(script, 'eval', keys, args);
        }
        if (message.startsWith('OOM')) return await this.send(script, 'eval', keys, args);
      }
      throw error;
    } catch (failure) {
      throw this.failure(failure);
    }
  }

  /**
   * Load the function library (once for all calls waiting on it). Returns false when it
   * could not be loaded, and the caller runs its script as EVAL: for good when the server
   * refuses functions (see {@link cannotRunFunctions}), only this once after any other
   * failure (out of memory, a read-only replica, ...).
   */
  private async loadLibrary(): Promise<boolean> {
    this.loading ??= this.bounded(() =>
      this.client.function('LOAD', 'REPLACE', FUNCTION_LIBRARY.code),
    )
      .then(() => undefined)
      .finally(() => {
        this.loading = undefined;
      });
    try {
      await this.loading;
      return true;
    } catch (error) {
      if (cannotRunFunctions(error instanceof Error ? error.message : '')) this.scripting = 'eval';
      return false;
    }
  }

  /** What a failed command becomes: a coded kv error. */
  private failure(error: unknown): RillError {
    if (this.timedOut && !RillError.is(error)) {
      return unavailable(`the Redis server did not answer within ${this.commandTimeout} ms`, error);
    }
    return mapRedisError(error);
  }

  private send(
    script: LuaScript,
    command: 'fcall' | 'evalsha' | 'eval',
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    return this.bounded(() =>
      command === 'fcall'
        ? this.client.fcall(script.fn, keys.length, ...keys, ...args)
        : command === 'evalsha'
          ? this.client.evalsha(script.sha, keys.length, ...keys, ...args)
          : this.client.eval(script.source, keys.length, ...keys, ...args),
    );
  }

  /** Send a command bounded by `commandTimeout`: watched when owned, raced when borrowed. */
  private bounded<T>(call: () => Promise<T>): Promise<T> {
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

/**
 * Whether a reply says this server will not run functions for us: a server older than
 * Redis 7 (unknown command), or an ACL that denies FCALL or FUNCTION LOAD.
 */
function cannotRunFunctions(message: string): boolean {
  // "NOPERM ... run the 'fcall' command", "ERR unknown command 'fcall'" (7.x spells it with
  // quotes, 6.x with backticks); a NOPERM raised inside a script names other commands.
  return /^(NOPERM|ERR unknown)[^\n]*\b(fcall|function)\b/i.test(message);
}
