import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ExitCode,
  type ModuleLoader,
  importModule,
  loadBackendFactory,
} from '../src/index.js';
import { cli, tempDir, writeConfig } from './helpers/cli.js';

/** A loader on which `missing` fails the way Node fails for a package that is not installed. */
function withoutPackage(missing: string, alsoNamed = missing): ModuleLoader {
  return (specifier) => {
    if (specifier !== missing) return importModule(specifier);
    const error = new Error(
      `Cannot find package '${alsoNamed}' imported from /somewhere/packages/cli/dist/module-loader.js`,
    );
    Object.assign(error, { code: 'ERR_MODULE_NOT_FOUND' });
    return Promise.reject(error);
  };
}

describe('a backend package that is not installed', () => {
  const dir = tempDir();

  it.each([
    [
      'redis',
      'kv',
      { backend: 'redis', url: 'redis://127.0.0.1', prefix: 'p:' },
      '@rillkit/ext-kv-redis',
    ],
    ['sqlite', 'kv', { backend: 'sqlite', database: './x.db' }, '@rillkit/ext-kv-sqlite'],
    ['s3', 'fs', { backend: 's3', bucket: 'b', region: 'us-east-1' }, '@rillkit/ext-fs-s3'],
  ])('%s: exit 2 naming the package to install', async (backend, kind, mount, pkg) => {
    const file = writeConfig(dir, `${backend}.json`, {
      kv: { state: { backend: 'memory' } },
      [kind]: { m: mount },
    });
    const out = await cli(['eval', 'log("ran")', '-c', file], {
      cwd: dir,
      loadModule: withoutPackage(pkg),
    });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stdout).toBe('');
    expect(out.stderr.startsWith(`rill: ${backend}.json: ${kind}.m.backend: `)).toBe(true);
    expect(out.stderr).toContain(` ${pkg},`);
    expect(out.stderr).toContain(`npm install ${pkg}`);
    expect(out.stderr).not.toContain('ran');
  });

  it('a dependency of the package that is missing is reported the same way', async () => {
    const file = writeConfig(dir, 'dep.json', {
      kv: { j: { backend: 'redis', url: 'redis://h', prefix: 'p:' } },
    });
    const out = await cli(['eval', '1', '-c', file], {
      cwd: dir,
      loadModule: withoutPackage('@rillkit/ext-kv-redis', 'ioredis'),
    });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(
      /^rill: dep\.json: kv\.j\.backend: .*ioredis.*npm install @rillkit\/ext-kv-redis/,
    );
  });

  it('a package without the expected factory is a config error too', async () => {
    const file = writeConfig(dir, 'old.json', {
      kv: { u: { backend: 'sqlite', database: './x.db' } },
    });
    const out = await cli(['eval', '1', '-c', file], { cwd: dir, loadModule: async () => ({}) });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: old\.json: kv\.u\.backend: .*createSqliteKvExtension/);
  });

  it('other load failures are not hidden', async () => {
    const file = writeConfig(dir, 'broken.json', {
      kv: { u: { backend: 'sqlite', database: './x.db' } },
    });
    const out = cli(['eval', '1', '-c', file], {
      cwd: dir,
      loadModule: () => Promise.reject(new SyntaxError('Unexpected token')),
    });
    // runCli rethrows what is not a usage problem; the binary prints it with its stack (exit 1).
    await expect(out).rejects.toBeInstanceOf(SyntaxError);
  });

  it('the real import() of a package that is not installed', async () => {
    const error = await loadBackendFactory(
      '@rillkit/ext-kv-does-not-exist',
      'createNothing',
      importModule,
      { source: 'rill.config.json', field: 'kv.x.backend' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('kv.x.backend');
    expect((error as ConfigError).reason).toContain('npm install @rillkit/ext-kv-does-not-exist');
    expect(((error as ConfigError).cause as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
  });
});
