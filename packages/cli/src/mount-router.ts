import {
  type HostFunction,
  type HostFunctions,
  type RillValue,
  RillBackendError,
  isDict,
  kvError,
} from '@rillkit/core';
import type { MountedExtension } from './build-extensions.js';
import type { MountKind } from './config-schema.js';

/**
 * Present several extensions of one kind (say a JSON, a SQLite and a Redis kv extension) as
 * one set of `kv::*` (or `fs::*`) functions, so a script names a mount and never a backend:
 * each call goes to the extension that serves the mount in its first argument, `mounts()`
 * lists every mount in `mountOrder` (the config's order), and an unknown mount fails with `KV_UNKNOWN_MOUNT` /
 * `FS_UNKNOWN_MOUNT` listing all of them.
 */
export function routeMounts(
  kind: MountKind,
  parts: readonly MountedExtension[],
  mountOrder: readonly string[],
): HostFunctions {
  const mine = parts.filter((p) => p.kind === kind);
  if (mine.length === 0) return {};
  if (mine.length === 1) return (mine[0] as MountedExtension).extension.functions;

  const owner = new Map<string, HostFunctions>();
  for (const part of mine)
    for (const mount of part.mounts) owner.set(mount, part.extension.functions);
  const all = mountOrder.filter((m) => owner.has(m));
  const order = new Map(all.map((m, i) => [m, i]));
  const listName = `${kind}::mounts`;
  const functions: Record<string, HostFunction> = {};
  for (const [name, def] of Object.entries((mine[0] as MountedExtension).extension.functions)) {
    if (name === listName) {
      functions[name] = { ...def, fn: (args, ctx) => listMounts(mine, name, args, ctx, order) };
      continue;
    }
    functions[name] = {
      ...def,
      fn: (args, ctx) => {
        const mount = args[0];
        const target = typeof mount === 'string' ? owner.get(mount)?.[name] : undefined;
        if (target === undefined) throw unknownMount(kind, String(mount), all);
        return target.fn(args, ctx);
      },
    };
  }
  return Object.freeze(functions);
}

async function listMounts(
  parts: readonly MountedExtension[],
  name: string,
  args: Parameters<HostFunction['fn']>[0],
  ctx: Parameters<HostFunction['fn']>[1],
  order: ReadonlyMap<string, number>,
): Promise<RillValue> {
  const lists = await Promise.all(
    parts.map(async (p) => (await p.extension.functions[name]?.fn(args, ctx)) ?? []),
  );
  const rank = (entry: RillValue): number => {
    const mount = isDict(entry) ? entry.get('name') : undefined;
    return typeof mount === 'string' ? (order.get(mount) ?? order.size) : order.size;
  };
  const entries = lists.flatMap((l) => (Array.isArray(l) ? (l as readonly RillValue[]) : []));
  return Object.freeze(entries.sort((a, b) => rank(a) - rank(b)));
}

function unknownMount(kind: MountKind, mount: string, mounts: readonly string[]): RillBackendError {
  if (kind === 'kv')
    return kvError('KV_UNKNOWN_MOUNT', `no kv mount named "${mount}"`, { mount, mounts });
  return new RillBackendError('FS_UNKNOWN_MOUNT', `no fs mount named ${JSON.stringify(mount)}`, {
    details: { mount, mounts },
  });
}
