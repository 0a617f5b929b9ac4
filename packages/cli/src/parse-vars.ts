import { InvalidArgumentError } from 'commander';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Commander's collector for the repeatable `--var name=value`: checks one occurrence and
 * adds it to the ones before. The value is everything after the first `=` (it may be empty
 * or hold more `=`); scripts read it as the string variable `$name`.
 *
 * @throws InvalidArgumentError (a usage error, exit 2) for a missing `=`, a name that is
 *   not a rill identifier (a letter or `_`, then letters, digits or `_`), or a name given
 *   twice.
 * @example parseVarOption('who=world', {}) // { who: 'world' }
 */
export function parseVarOption(
  text: string,
  previous: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const at = text.indexOf('=');
  if (at === -1) throw new InvalidArgumentError('expected name=value');
  const name = text.slice(0, at);
  if (!IDENTIFIER.test(name)) {
    throw new InvalidArgumentError(
      `${JSON.stringify(name)} is not a variable name (a letter or _, then letters, digits or _)`,
    );
  }
  if (previous !== undefined && Object.hasOwn(previous, name))
    throw new InvalidArgumentError(`$${name} is given more than once`);
  // fromEntries defines an own property even for a name like __proto__.
  return Object.fromEntries([...Object.entries(previous ?? {}), [name, text.slice(at + 1)]]);
}
