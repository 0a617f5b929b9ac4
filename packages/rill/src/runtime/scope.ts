import type { RillValue, SourceSpan } from '@rillkit/core';
import { runtimeError } from './runtime-error.js';

/**
 * One level of variable bindings. Blocks, closure bodies and loop bodies run in a child
 * scope; the script's statements run in the top-level scope, whose parent holds the host's
 * variables (shared by every run of a context, never written).
 *
 * `depth` counts nested closure and host invocations, so the call-depth limit needs no
 * per-run counter that concurrent `map` bodies would share.
 */
export class Scope {
  private vars: Map<string, RillValue> | undefined;

  constructor(
    readonly parent: Scope | undefined,
    readonly depth: number,
    /** True for the script's own top level, where capturing an existing name re-binds it. */
    readonly isTop = false,
    vars?: Map<string, RillValue>,
  ) {
    this.vars = vars;
  }

  /** A child scope at the same call depth. */
  child(): Scope {
    return new Scope(this, this.depth);
  }

  /** The value bound to `name` here or in an enclosing scope, or undefined. */
  lookup(name: string): RillValue | undefined {
    const v = this.vars?.get(name);
    if (v !== undefined) return v;
    for (let scope = this.parent; scope !== undefined; scope = scope.parent) {
      const found = scope.vars?.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Bind a parameter or loop-local name without the re-bind check. */
  define(name: string, value: RillValue): void {
    (this.vars ??= new Map()).set(name, value);
  }

  /**
   * `=> $name`. Inside a child scope a name bound in an enclosing scope is read-only
   * (`EVAL_OUTER_REBIND`); a name already local to this scope, or any name at top level,
   * is (re-)bound here.
   */
  capture(name: string, value: RillValue, span: SourceSpan): void {
    if (!this.isTop && this.vars?.has(name) !== true && this.parent?.lookup(name) !== undefined) {
      throw runtimeError(
        'EVAL_OUTER_REBIND',
        `$${name} is bound in an outer scope and cannot be re-bound here`,
        span,
        {
          name,
        },
      );
    }
    this.define(name, value);
  }
}
