/**
 * Strings index and slice by code point (docs/ref-language.md): `.at`, `[i]` and `.slice`
 * on strings with surrogate pairs and lone surrogates agree with the code points JS's
 * string iterator yields, for any string and any bounds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRuntimeContext, execute, parse } from '../../src/index.js';

const unit = fc.constantFrom('a', 'é', '😀', '\uD800', '\uDC00', '\uDBFF\uDFFF', 'z');
const ctx = (s: string) => createRuntimeContext({ variables: { s } });

describe('code point indexing and slicing', () => {
  it('.at and .slice agree with Array.from for any string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit, minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        async (s, x, y) => {
          const points = Array.from(s);
          const i = x % points.length;
          const [lo, hi] = [x % (points.length + 1), y % (points.length + 1)].sort((p, q) => p - q);
          const at = await execute(parse(`$s.at(${i})`), ctx(s));
          expect(at.result).toBe(points[i]);
          const sliced = await execute(parse(`$s.slice(${lo}, ${hi})`), ctx(s));
          expect(sliced.result).toBe(points.slice(lo, hi).join(''));
        },
      ),
      { numRuns: 300 },
    );
  });
});
