import { isAbsolute, resolve } from 'node:path';
import {
  BACKENDS,
  CONFIG_SECTIONS,
  type CliConfig,
  type CliLimits,
  type ConfigFieldSpec,
  LIMIT_FIELDS,
  type MountConfig,
  type MountKind,
} from './config-schema.js';
import { ConfigError } from './config-error.js';
import { fieldPath } from './field-path.js';

/** Where a config came from, for error messages and relative paths. */
export interface ConfigOrigin {
  /** How errors name the config (the file as given on the command line). */
  readonly source: string;
  /** The folder relative `store`, `database` and `path` values resolve against. */
  readonly baseDir: string;
}

/**
 * Check a parsed (and env-substituted) config against {@link BACKENDS} and turn it into a
 * {@link CliConfig}: mounts in file order, paths absolute.
 *
 * @throws {@link ConfigError} naming the field: a value that is not an object where one is
 *   expected, an unknown section or option, a missing or unknown `backend`, a missing
 *   required option, a value of the wrong JSON type or outside its allowed values, a limit
 *   that is not a positive integer.
 */
export function validateConfig(raw: unknown, origin: ConfigOrigin): CliConfig {
  const fail = (field: string | undefined, reason: string): never => {
    throw new ConfigError({ source: origin.source, field }, reason);
  };
  const top = asObject(raw, undefined, fail, 'the config must be a JSON object');
  for (const key of Object.keys(top)) {
    if (!(CONFIG_SECTIONS as readonly string[]).includes(key))
      fail(
        fieldPath(undefined, key),
        `is not a config section (known: ${CONFIG_SECTIONS.join(', ')})`,
      );
  }
  return {
    source: origin.source,
    kv: validateMounts('kv', top['kv'], origin, fail),
    fs: validateMounts('fs', top['fs'], origin, fail),
    limits: validateLimits(top['limits'], fail),
  };
}

type Fail = (field: string | undefined, reason: string) => never;

function validateMounts(
  kind: MountKind,
  raw: unknown,
  origin: ConfigOrigin,
  fail: Fail,
): MountConfig[] {
  if (raw === undefined) return [];
  const section = asObject(
    raw,
    kind,
    fail,
    `must be an object of { "<mount>": { "backend": ... } }`,
  );
  const backends = BACKENDS[kind];
  const known = Object.keys(backends).join(', ');
  return Object.entries(section).map(([name, entry]) => {
    const at = fieldPath(kind, name);
    const options = asObject(
      entry,
      at,
      fail,
      `must be an object with a "backend" (one of ${known})`,
    );
    const backend = options['backend'];
    if (backend === undefined) fail(fieldPath(at, 'backend'), `is required: one of ${known}`);
    const spec =
      typeof backend === 'string' && Object.hasOwn(backends, backend)
        ? backends[backend]
        : undefined;
    if (spec === undefined) {
      return fail(
        fieldPath(at, 'backend'),
        `${JSON.stringify(backend)} is not a ${kind} backend (known: ${known})`,
      );
    }
    const rest = Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'backend'));
    const checked = validateFields(rest, spec.fields, at, `the ${String(backend)} backend`, fail);
    for (const [key, field] of Object.entries(spec.fields)) {
      const value = checked[key];
      if (field.isPath === true && typeof value === 'string' && value !== '' && !isAbsolute(value))
        checked[key] = resolve(origin.baseDir, value);
    }
    return { kind, name, backend: backend as string, options: checked };
  });
}

function validateFields(
  options: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, ConfigFieldSpec>>,
  at: string,
  owner: string,
  fail: Fail,
): Record<string, unknown> {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(fields, key))
      fail(
        fieldPath(at, key),
        `is not an option of ${owner} (known: ${Object.keys(fields).join(', ')})`,
      );
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    const field = fieldPath(at, key);
    const value = options[key];
    if (value === undefined) {
      if (spec.isRequired === true) fail(field, `is required for ${owner}`);
      continue;
    }
    checkType(value, spec, field, fail);
    out[key] =
      spec.fields === undefined
        ? value
        : validateFields(value as Record<string, unknown>, spec.fields, field, field, fail);
  }
  return out;
}

function checkType(value: unknown, spec: ConfigFieldSpec, field: string, fail: Fail): void {
  const got = `got ${describe(value)}`;
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') fail(field, `must be a string, ${got}`);
      if (spec.oneOf !== undefined && !spec.oneOf.includes(value as string))
        fail(field, `must be one of ${spec.oneOf.join(', ')}, ${got}`);
      if (value === '' && spec.isRequired === true) fail(field, 'must not be empty');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        fail(field, `must be a whole number, ${got}`);
      return;
    case 'number':
      if (typeof value !== 'number') fail(field, `must be a number, ${got}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(field, `must be true or false, ${got}`);
      return;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail(field, `must be an object, ${got}`);
      return;
  }
}

function validateLimits(raw: unknown, fail: Fail): CliLimits {
  if (raw === undefined) return {};
  const limits = asObject(raw, 'limits', fail, 'must be an object');
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(limits)) {
    const field = fieldPath('limits', key);
    if (!(LIMIT_FIELDS as readonly string[]).includes(key))
      fail(field, `is not a limit (known: ${LIMIT_FIELDS.join(', ')})`);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      fail(field, `must be a positive whole number, got ${describe(value)}`);
    out[key] = value as number;
  }
  return out;
}

function asObject(
  value: unknown,
  field: string | undefined,
  fail: Fail,
  reason: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(field, `${reason}, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

/** A value as errors describe it: its JSON type, with the value when short. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return value.length > 40 ? 'a long string' : `the string ${JSON.stringify(value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}
