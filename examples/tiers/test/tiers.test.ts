import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type RedisTarget,
  type S3Target,
  createS3TestClient,
  deletePrefix,
  gateService,
  listKeys,
  resolveRedisUrl,
  resolveS3Target,
} from '@rillkit/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeFolder, rill, tempFolder } from './rill-binary.js';

// One script, three configs: the runs differ only in `--config`, and must print the same.
const script = fileURLToPath(new URL('../app.rill', import.meta.url));
const configOf = (tier: string) =>
  fileURLToPath(new URL(`../configs/${tier}.json`, import.meta.url));

const ORDER = '3 apple, 2 pear, 1 apple';

/** What the first and the second run with {@link ORDER} print, on every tier. */
const EXPECTED = [
  [
    'order 1: 3 apple, 2 pear, 1 apple',
    'receipts: order-1.txt',
    'ledger: 3 lines, 6 units',
    'sold so far: apple 4, pear 2',
  ],
  [
    'order 2: 3 apple, 2 pear, 1 apple',
    'receipts: order-1.txt, order-2.txt',
    'ledger: 6 lines, 12 units',
    'sold so far: apple 8, pear 4',
  ],
].map((lines) => `${lines.join('\n')}\n`);

// Redis and S3 for the multi-server tier: a missing service skips it locally (with a printed
// reason) and fails the run under CI.
const S3_BUCKET = 'rillkit-tiers';
const redis = await gateService('@rillkit/example-tiers: multi-server (Redis)', () =>
  resolveRedisUrl(),
);
const s3 = await gateService('@rillkit/example-tiers: multi-server (S3)', () =>
  resolveS3Target({ bucket: S3_BUCKET }),
).catch(async (error: unknown) => {
  // Under CI a missing S3 fails the file: stop a redis-server started above first.
  if (redis.available) await redis.value.close();
  throw error;
});
type Services =
  { readonly redis: RedisTarget; readonly s3: S3Target } | { readonly skipped: string };
const services: Services =
  redis.available && s3.available
    ? { redis: redis.value, s3: s3.value }
    : { skipped: [redis, s3].flatMap((g) => (g.available ? [] : [g.reason])).join('; ') };

/** Keys of this run live below a random prefix on the shared Redis server and S3 bucket. */
const prefix = `tiers-test-${randomBytes(6).toString('hex')}`;

/** The environment the multi-server config reads, for the services found above. */
function multiServerEnv(redisTarget: RedisTarget, s3Target: S3Target): Record<string, string> {
  const { connection } = s3Target;
  return {
    REDIS_URL: redisTarget.url,
    S3_ENDPOINT: connection.endpoint,
    S3_BUCKET: s3Target.bucket,
    S3_REGION: connection.region,
    AWS_ACCESS_KEY_ID: connection.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: connection.credentials.secretAccessKey,
    TIERS_PREFIX: prefix,
  };
}

describe('examples/tiers', { timeout: 300_000 }, () => {
  let work = '';
  let data = '';
  const printed = new Map<string, string[]>();

  beforeAll(() => {
    work = tempFolder();
    data = join(work, 'data');
    // The local-disk tiers need their fs folders to exist (the kv files are created on use).
    for (const tier of ['dev', 'single-server'])
      mkdirSync(join(data, tier, 'files'), { recursive: true });
  });

  afterAll(async () => {
    if ('redis' in services) {
      const env = multiServerEnv(services.redis, services.s3);
      const cleared = rill(
        work,
        env,
        'eval',
        'kv::clear("state")',
        '--config',
        configOf('multi-server'),
      );
      expect(cleared.status).toBe(0);
      const client = createS3TestClient(services.s3.connection);
      try {
        await deletePrefix(client, services.s3.bucket, `${prefix}/`);
      } finally {
        client.destroy();
      }
      await services.s3.close();
      await services.redis.close();
    } else {
      if (redis.available) await redis.value.close();
      if (s3.available) await s3.value.close();
    }
    removeFolder(work);
  });

  /** Run the app twice on `tier` and check both reports. */
  function runTwice(tier: string, env: Record<string, string>): void {
    const outs = [1, 2].map(() =>
      rill(work, env, 'run', script, '--config', configOf(tier), '--var', `order=${ORDER}`),
    );
    expect(outs.map((o) => o.stderr)).toEqual(['', '']);
    expect(outs.map((o) => o.status)).toEqual([0, 0]);
    printed.set(
      tier,
      outs.map((o) => o.stdout),
    );
    expect(outs.map((o) => o.stdout)).toEqual(EXPECTED);
  }

  /** The backends behind the two mounts, as the script sees them. */
  function backends(tier: string, env: Record<string, string>): string {
    const out = rill(
      work,
      env,
      'eval',
      '"{kv::mounts()[0].backend} + {fs::mounts()[0].backend}"',
      '--config',
      configOf(tier),
    );
    expect(out.stderr).toBe('');
    return out.stdout;
  }

  it('dev (JSON file + local disk): two runs, the second sees the first', () => {
    runTwice('dev', { TIERS_DATA: data });
    expect(backends('dev', { TIERS_DATA: data })).toBe('json + local\n');
    expect(existsSync(join(data, 'dev', 'state.json'))).toBe(true);
    expect(existsSync(join(data, 'dev', 'files', 'receipts', 'order-2.txt'))).toBe(true);
  });

  it('single-server (SQLite + local disk): two runs, the second sees the first', () => {
    runTwice('single-server', { TIERS_DATA: data });
    expect(backends('single-server', { TIERS_DATA: data })).toBe('sqlite + local\n');
    expect(existsSync(join(data, 'single-server', 'state.db'))).toBe(true);
    expect(existsSync(join(data, 'single-server', 'files', 'ledger.csv'))).toBe(true);
  });

  if ('redis' in services) {
    const { redis: redisTarget, s3: s3Target } = services;
    it(`multi-server (Redis + S3, ${s3Target.label}): two runs, the second sees the first`, async () => {
      const env = multiServerEnv(redisTarget, s3Target);
      runTwice('multi-server', env);
      expect(backends('multi-server', env)).toBe('redis + s3\n');
      const client = createS3TestClient(s3Target.connection);
      try {
        expect((await listKeys(client, s3Target.bucket, `${prefix}/`)).sort()).toEqual([
          `${prefix}/files/ledger.csv`,
          `${prefix}/files/receipts/order-1.txt`,
          `${prefix}/files/receipts/order-2.txt`,
        ]);
      } finally {
        client.destroy();
      }
    });
  } else {
    it.skip(`multi-server (Redis + S3) (skipped: ${services.skipped})`, () => undefined);
  }

  it('prints the same on every tier that ran', () => {
    const tiers = [...printed.keys()];
    expect(tiers).toEqual(
      'redis' in services ? ['dev', 'single-server', 'multi-server'] : ['dev', 'single-server'],
    );
    for (const tier of tiers) expect(printed.get(tier)).toEqual(printed.get('dev'));
  });

  it('rejects a bad order with EVAL_ASSERTION_FAILED and records nothing', () => {
    const env = { TIERS_DATA: join(work, 'bad-order') };
    mkdirSync(join(env.TIERS_DATA, 'dev', 'files'), { recursive: true });
    for (const order of ['3 apples!', 'x pear', '0 pear', '3 apple 2 pear', ' , ']) {
      const out = rill(
        work,
        env,
        'run',
        script,
        '--config',
        configOf('dev'),
        '--var',
        `order=${order}`,
      );
      expect(out.status).toBe(1);
      expect(out.stderr.startsWith('EVAL_ASSERTION_FAILED: ')).toBe(true);
    }
    expect(existsSync(join(env.TIERS_DATA, 'dev', 'state.json'))).toBe(false);
    expect(existsSync(join(env.TIERS_DATA, 'dev', 'files', 'ledger.csv'))).toBe(false);
  });

  it('reports a missing S3_ENDPOINT as a config error (exit 2) naming the field', () => {
    const out = rill(
      work,
      { S3_ENDPOINT: undefined, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
      'run',
      script,
      '--config',
      configOf('multi-server'),
      '--var',
      `order=${ORDER}`,
    );
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('fs.files.endpoint');
  });
});
