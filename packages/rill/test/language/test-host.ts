/**
 * Tiny host functions for the end-to-end language tests. `kv::get_or` / `kv::set` are backed
 * by a plain Map: they exist so LANGUAGE.md's kv example can run, not to test storage.
 */
import { type HostFunction, type HostFunctions, type RillClosure, type RillValue, RillError, isClosure } from '@rillkit/core';

/** A kv-shaped pair of host functions over an in-memory Map (mount + key -> value). */
export function createKvTestHost(): { functions: HostFunctions; store: Map<string, RillValue> } {
  const store = new Map<string, RillValue>();
  const slot = (mount: RillValue, key: RillValue): string => `${String(mount)}\u0000${String(key)}`;
  const functions: HostFunctions = {
    'kv::get_or': {
      params: [
        { name: 'mount', type: 'string' },
        { name: 'key', type: 'string' },
        { name: 'fallback', type: 'any' },
      ],
      fn: ([mount, key, fallback]) => store.get(slot(mount as RillValue, key as RillValue)) ?? (fallback as RillValue),
    },
    'kv::set': {
      params: [
        { name: 'mount', type: 'string' },
        { name: 'key', type: 'string' },
        { name: 'value', type: 'any' },
      ],
      fn: ([mount, key, value]) => {
        store.set(slot(mount as RillValue, key as RillValue), value as RillValue);
        return true;
      },
    },
  };
  return { functions, store };
}

/** Records how many calls of a host function overlap. */
export class InFlight {
  current = 0;
  max = 0;
  enter(): void {
    this.current++;
    this.max = Math.max(this.max, this.current);
  }
  leave(): void {
    this.current--;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A general-purpose set of host functions exercising names, params, $ insertion and closures. */
export function createTestHost(inFlight = new InFlight()): HostFunctions {
  const fns: Record<string, HostFunction> = {
    greet: {
      params: [{ name: 'who', type: 'string', default: 'world' }],
      fn: ([who]) => `hello ${who as string}`,
    },
    'str::shout': {
      params: [{ name: 'text', type: 'string' }],
      fn: ([text]) => `${(text as string).toUpperCase()}!`,
    },
    'math::add': {
      params: [
        { name: 'a', type: 'number' },
        { name: 'b', type: 'number' },
      ],
      returns: 'number',
      fn: ([a, b]) => (a as number) + (b as number),
    },
    'a::b::c': {
      params: [],
      fn: (_args, ctx) => `called ${ctx.name}`,
    },
    args: {
      params: [
        { name: 'first', type: 'any' },
        { name: 'second', type: 'any', default: 'dflt' },
      ],
      fn: (args) => [...args],
    },
    apply: {
      params: [
        { name: 'f', type: 'closure' },
        { name: 'value', type: 'any' },
      ],
      fn: async ([f, value], ctx) => ctx.invoke(f as RillClosure, [value as RillValue]),
    },
    apply_each: {
      params: [
        { name: 'items', type: 'list' },
        { name: 'f', type: 'closure' },
      ],
      fn: async ([items, f], ctx) => {
        const out: RillValue[] = [];
        for (const item of items as readonly RillValue[]) out.push(await ctx.invoke(f as RillClosure, [item]));
        return out;
      },
    },
    identity: {
      params: [{ name: 'value', type: 'any' }],
      fn: ([value]) => value as RillValue,
    },
    is_closure: {
      params: [{ name: 'value', type: 'any' }],
      fn: ([value]) => isClosure(value),
    },
    delay: {
      params: [
        { name: 'ms', type: 'number' },
        { name: 'value', type: 'any' },
      ],
      fn: async ([ms, value]) => {
        inFlight.enter();
        try {
          await sleep(ms as number);
          return value as RillValue;
        } finally {
          inFlight.leave();
        }
      },
    },
    make_user: {
      params: [],
      fn: () => ({ name: 'ann', tags: ['x', 'y'], address: { city: 'Oslo' } }) as unknown as RillValue,
    },
    hang: {
      params: [],
      fn: () => new Promise<RillValue>(() => undefined),
    },
    'bad::undefined': { params: [], fn: () => undefined as unknown as RillValue },
    'bad::null': { params: [], fn: () => null as unknown as RillValue },
    'bad::function': { params: [], fn: () => (() => 1) as unknown as RillValue },
    'bad::nested_undefined': { params: [], fn: () => ({ a: [1, undefined] }) as unknown as RillValue },
    'bad::returns': { params: [], returns: 'number', fn: () => 'not a number' },
    'bad::throws': {
      params: [],
      fn: () => {
        throw new TypeError('kaboom');
      },
    },
    'bad::rejects': { params: [], fn: () => Promise.reject(new Error('async kaboom')) },
    'bad::rill': {
      params: [],
      fn: () => {
        throw new RillError('KV_READ_ONLY', 'mount is read-only', { details: { mount: 'cfg' } });
      },
    },
  };
  return fns;
}
