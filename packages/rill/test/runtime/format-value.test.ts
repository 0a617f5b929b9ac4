import { describe, expect, it } from 'vitest';
import { formatValue, fromHostValue, type RillValue, valuesEqual } from '@rillkit/core';
import { run } from './helpers.js';

describe('formatValue (core) renders rill literals', () => {
  it.each<[unknown, string]>([
    ['hi', '"hi"'],
    ['say "x" \\ {y}\n\t\r', '"say \\"x\\" \\\\ \\{y\\}\\n\\t\\r"'],
    [1, '1'],
    [0.5, '0.5'],
    [-7, '-7'],
    [1e21, '1e+21'],
    [true, 'true'],
    [false, 'false'],
    [[], '[]'],
    [[1, 'a', [true]], '[1, "a", [true]]'],
    [{}, '[:]'],
    [{ a: 1, 'b c': [2], _x9: { y: 'z' } }, '[a: 1, "b c": [2], _x9: [y: "z"]]'],
    [
      new Map([
        ['1', 1],
        ['', 2],
      ]),
      '["1": 1, "": 2]',
    ],
  ])('%j -> %s', (input, expected) => {
    expect(formatValue(fromHostValue(input))).toBe(expected);
  });

  it('renders closures as a placeholder listing their params', async () => {
    expect(formatValue(await run('|a, b = 1| $a'))).toBe('<closure(a, b)>');
    expect(formatValue(await run('{ $ }'))).toBe('<closure()>');
  });

  it('reads back as the same value', async () => {
    const samples: unknown[] = [
      'a"b{c}\\',
      [1, [2, [3]]],
      { k: 'v', 'odd key': [true, { '': 0 }] },
      -0.25,
    ];
    for (const sample of samples) {
      const value = fromHostValue(sample);
      const back: RillValue = await run(formatValue(value));
      expect(valuesEqual(back, value), formatValue(value)).toBe(true);
    }
  });
});
