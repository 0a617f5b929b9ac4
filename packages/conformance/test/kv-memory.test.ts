import { createKvExtension } from '@rillkit/rill/ext/kv';
import { describeKvBackend } from '../src/index.js';

describeKvBackend(
  'memory',
  ({ mounts }) => {
    const withStores = Object.fromEntries(
      Object.entries(mounts).map(([name, options]) => [name, { ...options, store: ':memory:' }]),
    );
    return createKvExtension({ mounts: withStores });
  },
  { backendName: 'memory', supports: { writePolicyDispose: true } },
);
