/**
 * The dotted path of a config field, as errors show it: `kv.user.table`. A key that is not
 * a plain word (a mount named `a.b`, an empty key) is quoted: `kv["a.b"].store`.
 */
export function fieldPath(parent: string | undefined, key: string | number): string {
  if (typeof key === 'number') return `${parent ?? ''}[${key}]`;
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (parent === undefined || parent === '') return part;
  return part.startsWith('[') ? `${parent}${part}` : `${parent}.${part}`;
}
