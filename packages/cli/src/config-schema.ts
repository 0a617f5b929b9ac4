import { ACCESS_MODES, KV_WRITE_POLICIES } from '@rillkit/core';
import { DEFAULT_LIMITS, type RuntimeLimits } from '@rillkit/rill';

/** The JSON type a config field must have (`integer` = a JSON number that is a whole number). */
export type ConfigFieldType = 'string' | 'integer' | 'number' | 'boolean' | 'object';

/** What one option of a mount entry in the config file may hold. */
export interface ConfigFieldSpec {
  readonly type: ConfigFieldType;
  /** The only values a string field accepts. */
  readonly oneOf?: readonly string[];
  /** The option must be present. */
  readonly isRequired?: boolean;
  /** A file or folder path: a relative value resolves against the config file's folder. */
  readonly isPath?: boolean;
  /**
   * An option of the backend's extension rather than of one mount (a connection URL, a
   * timeout): mounts of one backend with equal values of all such options share one
   * extension instance, and so one connection.
   */
  readonly isShared?: boolean;
  /** For `object` fields with a fixed shape: their own fields (unknown keys are rejected). */
  readonly fields?: Readonly<Record<string, ConfigFieldSpec>>;
}

/** The two kinds of mount a config declares: `kv` mounts and `fs` mounts. */
export type MountKind = 'kv' | 'fs';

/** A storage backend the CLI can mount, as the config file names it. */
export interface BackendSpec {
  readonly kind: MountKind;
  /** The package that provides it; `undefined` for the backends built into `@rillkit/rill`. */
  readonly packageName?: string;
  /** Every option a mount entry of this backend accepts besides `backend`. */
  readonly fields: Readonly<Record<string, ConfigFieldSpec>>;
}

const MODE: ConfigFieldSpec = { type: 'string', oneOf: ACCESS_MODES };

/** Options core's kv policy gives every kv mount (docs/ref-storage.md). */
const KV_COMMON: Readonly<Record<string, ConfigFieldSpec>> = {
  mode: MODE,
  schema: { type: 'object' },
  maxEntries: { type: 'integer' },
  maxValueSize: { type: 'integer' },
  maxStoreSize: { type: 'integer' },
  ttl: { type: 'number' },
  writePolicy: { type: 'string', oneOf: KV_WRITE_POLICIES },
};

/** Options core's fs policy gives every fs mount (docs/ref-storage.md). */
const FS_COMMON: Readonly<Record<string, ConfigFieldSpec>> = {
  mode: MODE,
  glob: { type: 'string' },
  maxFileSize: { type: 'integer' },
};

/**
 * Every backend a config may name, by kind and name. The options of each mirror what the
 * backend's factory accepts for one mount plus its extension-level options (marked
 * `isShared`); value rules beyond the JSON type (ranges, name patterns) are the factories'
 * and come back as config errors naming the field.
 */
export const BACKENDS: Readonly<Record<MountKind, Readonly<Record<string, BackendSpec>>>> = {
  kv: {
    json: {
      kind: 'kv',
      fields: { ...KV_COMMON, store: { type: 'string', isRequired: true, isPath: true } },
    },
    memory: { kind: 'kv', fields: KV_COMMON },
    sqlite: {
      kind: 'kv',
      packageName: '@rillkit/ext-kv-sqlite',
      fields: {
        ...KV_COMMON,
        database: { type: 'string', isRequired: true, isPath: true },
        table: { type: 'string' },
        busyTimeout: { type: 'integer', isShared: true },
        synchronous: { type: 'string', oneOf: ['full', 'normal'], isShared: true },
      },
    },
    redis: {
      kind: 'kv',
      packageName: '@rillkit/ext-kv-redis',
      fields: {
        ...KV_COMMON,
        url: { type: 'string', isRequired: true, isShared: true },
        prefix: { type: 'string', isRequired: true },
        hashTag: { type: 'boolean' },
        connectTimeout: { type: 'integer', isShared: true },
        commandTimeout: { type: 'integer', isShared: true },
      },
    },
  },
  fs: {
    local: {
      kind: 'fs',
      fields: { ...FS_COMMON, path: { type: 'string', isRequired: true, isPath: true } },
    },
    s3: {
      kind: 'fs',
      packageName: '@rillkit/ext-fs-s3',
      fields: {
        ...FS_COMMON,
        bucket: { type: 'string', isRequired: true },
        prefix: { type: 'string' },
        region: { type: 'string', isShared: true },
        endpoint: { type: 'string', isShared: true },
        forcePathStyle: { type: 'boolean', isShared: true },
        credentials: {
          type: 'object',
          isShared: true,
          fields: {
            accessKeyId: { type: 'string', isRequired: true },
            secretAccessKey: { type: 'string', isRequired: true },
            sessionToken: { type: 'string' },
          },
        },
        connectTimeoutMs: { type: 'integer', isShared: true },
        requestTimeoutMs: { type: 'integer', isShared: true },
        maxAttempts: { type: 'integer', isShared: true },
      },
    },
  },
};

/**
 * The `limits` section: `timeout` and every limit of the runtime (`DEFAULT_LIMITS` names
 * them, so a limit the runtime gains is a config field at once); all positive integers.
 */
export const LIMIT_FIELDS: readonly string[] = Object.freeze([
  'timeout',
  ...Object.keys(DEFAULT_LIMITS),
]);

/** The top-level sections of a config file. */
export const CONFIG_SECTIONS = ['kv', 'fs', 'limits'] as const;

/**
 * Runtime limits from the config's `limits` section (docs/ref-host-api.md, "Limits"), plus
 * `timeout`, the wall-clock limit of one run in ms (`LIMIT_TIMEOUT`; `--timeout` overrides it).
 */
export type CliLimits = Partial<RuntimeLimits> & { readonly timeout?: number };

/** One mount of a validated config. */
export interface MountConfig {
  readonly kind: MountKind;
  /** The mount name scripts pass as the first argument (`kv::get("state", ...)`). */
  readonly name: string;
  /** A key of `BACKENDS[kind]`. */
  readonly backend: string;
  /** Every option but `backend`, `${ENV}` references replaced and paths made absolute. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** A validated config: what the CLI mounts and which limits apply. */
export interface CliConfig {
  /** How errors name the config: the file as given on the command line, or `(default config)`. */
  readonly source: string;
  /** kv mounts in file order. */
  readonly kv: readonly MountConfig[];
  /** fs mounts in file order. */
  readonly fs: readonly MountConfig[];
  readonly limits: CliLimits;
}
