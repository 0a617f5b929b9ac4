// The helpers every table relies on must be able to fail; these guard against a vacuous harness.
import { describe, expect, it } from 'vitest';
import { check, fails } from './run.js';

describe('test harness', () => {
  it('notices a wrong value, a wrong type and a wrong dict key order', async () => {
    await expect(check('1 + 1', 3)).rejects.toThrow();
    await expect(check('"1"', 1)).rejects.toThrow();
    await expect(check('[b: 1, a: 2]', { a: 2, b: 1 })).rejects.toThrow();
    await check('[b: 1, a: 2]', { b: 1, a: 2 });
  });

  it('notices a wrong error code, a wrong location, and a script that does not fail', async () => {
    await expect(check('1 / 0', fails('EVAL_TYPE_MISMATCH'))).rejects.toThrow();
    await expect(check('1 / 0', fails('EVAL_DIVISION_BY_ZERO', { column: 2 }))).rejects.toThrow();
    await expect(check('1 + 1', fails('EVAL_DIVISION_BY_ZERO'))).rejects.toThrow();
    await check('1 / 0', fails('EVAL_DIVISION_BY_ZERO', { line: 1, column: 1 }));
  });
});
