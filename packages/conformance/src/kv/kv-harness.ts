import type { ErrorCode, RillError } from '@rillkit/core';
import type { ExpectStatic } from 'vitest';
import { ExtensionStore } from '../harness/extension-store.js';
import type { CallPath } from '../harness/run-script.js';
import { showValue } from '../harness/show-value.js';
import { SuiteScope } from '../harness/suite-scope.js';
import type {
  CommonKvMountOptions,
  KvSuiteFactory,
  KvSuiteInstance,
  KvSuiteOptions,
  KvSuiteSupports,
} from './kv-suite-types.js';

/** The kv functions of docs/ref-storage.md, as registered (without the `kv::` prefix). */
export type KvFunctionName =
  | 'get'
  | 'get_or'
  | 'set'
  | 'merge'
  | 'delete'
  | 'has'
  | 'keys'
  | 'getAll'
  | 'clear'
  | 'getMany'
  | 'setMany'
  | 'add'
  | 'cas'
  | 'incr'
  | 'schema'
  | 'mounts';

// Codes that concern one key: single-key functions must name it in `details.key`.
const KEY_CODES: ReadonlySet<string> = new Set([
  'KV_UNDECLARED_KEY',
  'KV_TYPE_MISMATCH',
  'KV_VALUE_TOO_LARGE',
  'KV_NOT_A_DICT',
  'KV_NOT_A_NUMBER',
  'KV_INVALID_KEY',
]);
const SINGLE_KEY_FUNCTIONS: ReadonlySet<string> = new Set([
  'get',
  'get_or',
  'set',
  'merge',
  'delete',
  'has',
  'add',
  'cas',
  'incr',
]);

/** One live kv extension instance (see {@link ExtensionStore}). */
export class KvStore extends ExtensionStore<KvFunctionName, KvSuiteInstance> {
  constructor(scope: KvTestScope, instance: KvSuiteInstance, via: CallPath) {
    super('kv', scope, instance, via);
  }

  /** Everything in `mount` (keys + getAll), for "the store is unchanged" checks. */
  override async snapshot(mount: string): Promise<string> {
    return showValue(await this.direct('getAll', mount, ''));
  }
}

/** One kv test: its namespace, instances and helpers (see {@link SuiteScope}). */
export class KvTestScope extends SuiteScope<KvSuiteInstance> {
  readonly supports: KvSuiteSupports;

  constructor(
    expect: ExpectStatic,
    private readonly factory: KvSuiteFactory,
    private readonly options: KvSuiteOptions,
    /** Default call path of stores this scope opens. */
    readonly via: CallPath,
  ) {
    super(expect, options.ttlScale ?? 1);
    this.supports = options.supports ?? {};
  }

  /** The `backend` name `mounts()` must report, when the suite run declared one. */
  get backendName(): string | undefined {
    return this.options.backendName;
  }

  /** Create an extension instance over this test's namespace. */
  async open(
    mounts: Record<string, CommonKvMountOptions>,
    via: CallPath = this.via,
  ): Promise<KvStore> {
    const instance = this.track(await this.factory({ namespace: this.namespace, mounts }));
    return new KvStore(this, instance, via);
  }

  /** Expect the factory itself to reject these mounts with `code`. */
  async openFails(code: ErrorCode, mounts: Record<string, unknown>): Promise<RillError> {
    const attempt = (async () =>
      this.track(
        await this.factory({
          namespace: this.namespace,
          mounts: mounts as Record<string, CommonKvMountOptions>,
        }),
      ))();
    return this.expectCode(attempt, code);
  }

  /** `details.mount` always; `details.key` for single-key functions and key-level codes. */
  checkDetails(err: RillError, fn: KvFunctionName, args: readonly unknown[]): void {
    if (fn === 'mounts' || !err.code.startsWith('KV_')) return;
    this.expect(err.details['mount'], `${err.code} details.mount`).toBe(args[0]);
    if (SINGLE_KEY_FUNCTIONS.has(fn) && KEY_CODES.has(err.code) && typeof args[1] === 'string') {
      this.expect(err.details['key'], `${err.code} details.key`).toBe(args[1]);
    }
  }
}
