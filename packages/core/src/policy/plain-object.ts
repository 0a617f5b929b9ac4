/**
 * True for an object literal (or `Object.create(null)`): what option objects must be.
 * Arrays, Maps, class instances and `null` are not.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
