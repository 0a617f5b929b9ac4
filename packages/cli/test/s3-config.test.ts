import { describe, expect, it } from 'vitest';
import { ExitCode, type ModuleLoader, importModule } from '../src/index.js';
import { cli, tempDir, writeConfig } from './helpers/cli.js';

// No S3 server here: these tests check what the CLI hands the real S3 factory (creating the
// extension opens no connection) and what scripts see before any request is made.
describe('s3 mounts', () => {
  const dir = tempDir();
  const secrets = {
    accessKeyId: '${AWS_ACCESS_KEY_ID}',
    secretAccessKey: '${AWS_SECRET_ACCESS_KEY}',
  };
  const config = writeConfig(dir, 'rill.config.json', {
    fs: {
      docs: {
        backend: 's3',
        bucket: 'my-bucket',
        prefix: 'docs/',
        mode: 'read',
        region: 'us-east-1',
        endpoint: '${S3_ENDPOINT}',
        forcePathStyle: true,
        credentials: secrets,
      },
      archive: {
        backend: 's3',
        bucket: 'archive',
        region: 'eu-west-1',
        requestTimeoutMs: 5_000,
        maxAttempts: 3,
      },
      files: { backend: 'local', path: '.' },
      media: {
        backend: 's3',
        bucket: 'media',
        glob: '*.png',
        maxFileSize: 1_000,
        region: 'us-east-1',
        endpoint: '${S3_ENDPOINT}',
        forcePathStyle: true,
        credentials: secrets,
      },
    },
  });
  const env = {
    S3_ENDPOINT: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
  };

  function recordingLoader(calls: unknown[]): ModuleLoader {
    return async (specifier) => {
      const real = (await importModule(specifier)) as Record<string, (o: unknown) => unknown>;
      return {
        createS3FsExtension: (options: unknown) => {
          calls.push(options);
          return real['createS3FsExtension']?.(options);
        },
      };
    };
  }

  it('hand the factory one set of connection options per connection, mounts with their own options', async () => {
    const calls: unknown[] = [];
    const out = await cli(
      ['eval', 'fs::mounts() -> map { "{$.name}:{$.backend}:{$.mode}" }', '-c', config],
      {
        cwd: dir,
        env,
        loadModule: recordingLoader(calls),
      },
    );
    expect(out).toEqual({
      code: ExitCode.Ok,
      stdout:
        '["docs:s3:read", "archive:s3:read-write", "files:local:read-write", "media:s3:read-write"]\n',
      stderr: '',
    });
    expect(calls).toEqual([
      {
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9',
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-real-secret' },
        mounts: {
          docs: { bucket: 'my-bucket', prefix: 'docs/', mode: 'read' },
          media: { bucket: 'media', glob: '*.png', maxFileSize: 1_000 },
        },
      },
      {
        region: 'eu-west-1',
        requestTimeoutMs: 5_000,
        maxAttempts: 3,
        mounts: { archive: { bucket: 'archive' } },
      },
    ]);
  });

  it('never show credentials to scripts', async () => {
    const out = await cli(['eval', 'fs::mounts() -> json', '-c', config], { cwd: dir, env });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('not-a-real-secret');
    expect(out.stdout).not.toContain('AKIDTEST');
  });

  it('apply the mount mode before any request', async () => {
    const out = await cli(['eval', 'fs::write("docs", "a.txt", "x")', '-c', config], {
      cwd: dir,
      env,
    });
    expect(out.code).toBe(ExitCode.ScriptError);
    expect(out.stderr).toMatch(/^FS_READ_ONLY: /);
  });
});
