import type { ErrorCode, RillError, RillValue } from '@rillkit/core';
import type { ExpectStatic } from 'vitest';
import { ExtensionStore } from '../harness/extension-store.js';
import type { CallPath } from '../harness/run-script.js';
import { SuiteScope } from '../harness/suite-scope.js';
import type {
  CommonFsMountOptions,
  FsSuiteFactory,
  FsSuiteInstance,
  FsSuiteOptions,
} from './fs-suite-types.js';

/** The fs functions of docs/ref-storage.md, as registered (without the `fs::` prefix). */
export type FsFunctionName =
  | 'read'
  | 'write'
  | 'append'
  | 'list'
  | 'find'
  | 'exists'
  | 'remove'
  | 'stat'
  | 'mkdir'
  | 'copy'
  | 'move'
  | 'mounts';

// Codes about a path: the error must carry it in `details.path` (or `from`/`to`).
const PATH_CODES: ReadonlySet<string> = new Set([
  'FS_NOT_FOUND',
  'FS_PATH_ESCAPE',
  'FS_INVALID_PATH',
  'FS_NOT_A_FILE',
  'FS_NOT_A_DIRECTORY',
  'FS_NOT_EMPTY',
  'FS_FILE_TOO_LARGE',
  'FS_GLOB_DENIED',
]);

/** One live fs extension instance (see {@link ExtensionStore}). */
export class FsStore extends ExtensionStore<FsFunctionName, FsSuiteInstance> {
  constructor(scope: FsTestScope, instance: FsSuiteInstance, via: CallPath) {
    super('fs', scope, instance, via);
  }

  /** Every file under the mount with its content, for "nothing changed" checks. */
  override async snapshot(mount: string): Promise<string> {
    const files = (await this.direct('find', mount, '**/*')) as readonly string[];
    const parts: string[] = [];
    for (const file of files)
      parts.push(`${file}=${JSON.stringify(await this.direct('read', mount, file))}`);
    const folders = await this.folders(mount, '');
    return `${parts.join('\n')}\n-- folders: ${folders.join(', ')}`;
  }

  private async folders(mount: string, path: string): Promise<string[]> {
    const entries = (await this.direct('list', mount, path)) as readonly ReadonlyMap<
      string,
      RillValue
    >[];
    const out: string[] = [];
    for (const e of entries) {
      if (e.get('type') !== 'directory') continue;
      const child = path === '' ? String(e.get('name')) : `${path}/${String(e.get('name'))}`;
      out.push(child, ...(await this.folders(mount, child)));
    }
    return out;
  }
}

/** One fs test: its namespace, instances and helpers (see {@link SuiteScope}). */
export class FsTestScope extends SuiteScope<FsSuiteInstance> {
  constructor(
    expect: ExpectStatic,
    private readonly factory: FsSuiteFactory,
    readonly options: FsSuiteOptions,
    /** Default call path of instances this scope opens. */
    readonly via: CallPath,
  ) {
    super(expect, 1);
  }

  /** Create an extension instance over this test's namespace. */
  async open(
    mounts: Record<string, CommonFsMountOptions>,
    via: CallPath = this.via,
  ): Promise<FsStore> {
    const instance = this.track(await this.factory({ namespace: this.namespace, mounts }));
    return new FsStore(this, instance, via);
  }

  /** Expect the factory itself to reject these mounts with `code`. */
  async openFails(code: ErrorCode, mounts: Record<string, unknown>): Promise<RillError> {
    const attempt = (async () =>
      this.track(
        await this.factory({
          namespace: this.namespace,
          mounts: mounts as Record<string, CommonFsMountOptions>,
        }),
      ))();
    return this.expectCode(attempt, code);
  }

  /** `details.mount` always; a path detail for path-level codes. */
  checkDetails(err: RillError, fn: FsFunctionName, args: readonly unknown[]): void {
    if (fn === 'mounts' || !err.code.startsWith('FS_')) return;
    this.expect(err.details['mount'], `${err.code} details.mount`).toBe(args[0]);
    if (PATH_CODES.has(err.code) && fn !== 'find') {
      const named = ['path', 'from', 'to'].some((k) => typeof err.details[k] === 'string');
      this.expect(named, `${err.code} names the path in details`).toBe(true);
    }
  }
}
