import { ConfigError } from './config-error.js';
import { fieldPath } from './field-path.js';

/** The environment `${NAME}` references read: `process.env` or a test's own. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([^]*))?$/;

/**
 * Replace environment references in every string value of a parsed config (keys are left
 * alone), so secrets and per-machine settings stay out of the file:
 *
 * - `${NAME}` is the value of the variable `NAME`; it is a config error naming the field
 *   and the variable when `NAME` is not set (set but empty gives `""`).
 * - `${NAME:-fallback}` is `fallback` when `NAME` is unset or empty.
 * - `$${` is a literal `${`; a `$` anywhere else is kept as it is.
 *
 * Substitution is one pass: a variable's value is never scanned for references itself.
 *
 * @throws {@link ConfigError} for an unset variable, or a `${` that is not closed or does
 *   not hold a variable name.
 * @example
 * substituteEnv({ url: '${REDIS_URL:-redis://127.0.0.1:6379}' }, {}, 'rill.config.json')
 * // { url: 'redis://127.0.0.1:6379' }
 */
export function substituteEnv(value: unknown, env: ConfigEnv, source: string): unknown {
  return walk(value, env, source, undefined);
}

function walk(value: unknown, env: ConfigEnv, source: string, field: string | undefined): unknown {
  if (typeof value === 'string') return substituteString(value, env, source, field ?? '');
  if (Array.isArray(value)) return value.map((v, i) => walk(v, env, source, fieldPath(field, i)));
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a "__proto__" key stays an ordinary key.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, walk(v, env, source, fieldPath(field, k))]),
    );
  }
  return value;
}

function substituteString(text: string, env: ConfigEnv, source: string, field: string): string {
  if (!text.includes('${')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end === -1) {
      throw new ConfigError(
        { source, field },
        `"\${" is not closed (write $\${ for a literal "\${")`,
      );
    }
    const inner = text.slice(i + 2, end);
    const match = REFERENCE.exec(inner);
    if (match === null) {
      throw new ConfigError(
        { source, field },
        `"\${${inner}}" is not an environment reference: expected \${NAME} or \${NAME:-fallback}`,
      );
    }
    const name = match[1] as string;
    const fallback = match[2];
    const current = Object.hasOwn(env, name) ? env[name] : undefined;
    if (fallback !== undefined) {
      out += current === undefined || current === '' ? fallback : current;
    } else if (current === undefined) {
      throw new ConfigError(
        { source, field },
        `the environment variable ${name} is not set (use \${${name}:-fallback} for a default)`,
      );
    } else {
      out += current;
    }
    i = end + 1;
  }
  return out;
}
