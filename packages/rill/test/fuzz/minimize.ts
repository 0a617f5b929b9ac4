/**
 * Delta debugging for fuzz failures: drop ever smaller runs of tokens, then characters, as
 * long as the script still fails the same way. fast-check shrinks the edits that made a
 * mutant; this shrinks the script text itself.
 */
import { tokenize } from './mutations.js';

/** A smaller script for which `stillFails` holds, within `budgetMs` of trying. */
export async function minimize(
  script: string,
  stillFails: (candidate: string) => Promise<boolean>,
  budgetMs = 60_000,
): Promise<string> {
  const deadline = performance.now() + budgetMs;
  let best = await pass(tokenize(script), stillFails, deadline);
  best = await pass([...best.join('')], stillFails, deadline);
  return best.join('');
}

async function pass(
  units: string[],
  stillFails: (candidate: string) => Promise<boolean>,
  deadline: number,
): Promise<string[]> {
  let current = units;
  let chunk = Math.max(1, current.length >> 1);
  while (chunk >= 1 && performance.now() < deadline) {
    let removed = false;
    for (let at = 0; at < current.length && performance.now() < deadline; ) {
      const candidate = [...current.slice(0, at), ...current.slice(at + chunk)];
      if (candidate.length > 0 && (await stillFails(candidate.join('')))) {
        current = candidate;
        removed = true;
      } else {
        at += chunk;
      }
    }
    if (!removed) chunk >>= 1;
    else chunk = Math.min(chunk, Math.max(1, current.length >> 1));
  }
  return current;
}
