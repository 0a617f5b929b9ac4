import { randomBytes } from 'node:crypto';

/**
 * A fresh namespace for one test: lowercase letters and digits only, starting with a letter,
 * so it is safe as a folder name, an SQL table name, a Redis key prefix or an S3 prefix.
 */
export function randomNamespace(): string {
  return `rk${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}
