// Service gating: skip locally with a printed reason, fail under CI, let bugs through.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailableError, gateService, isCI } from '../dist/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const missing = () => Promise.reject(new ServiceUnavailableError('S3', 'nothing listens there'));

describe('gateService', () => {
  it('returns the service when it opens', async () => {
    expect(await gateService('x', async () => 42, {})).toEqual({ available: true, value: 42 });
  });

  it('locally: prints the reason loudly and reports it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const gated = await gateService('pkg: S3 tests', missing, { CI: 'false' });
    expect(gated).toEqual({ available: false, reason: 'nothing listens there' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain(
      'pkg: S3 tests SKIPPED — nothing listens there',
    );
  });

  it('under CI: fails with the reason', async () => {
    await expect(gateService('pkg: S3 tests', missing, { CI: 'true' })).rejects.toThrow(
      /pkg: S3 tests SKIPPED — nothing listens there \(CI is set/,
    );
  });

  it('lets any other error through, CI or not', async () => {
    const bug = () => Promise.reject(new TypeError('a bug'));
    await expect(gateService('x', bug, {})).rejects.toThrow(TypeError);
    await expect(gateService('x', bug, { CI: '1' })).rejects.toThrow(TypeError);
  });

  it('isCI: set and not "" or "false"', () => {
    expect([undefined, '', 'false', 'true', '1'].map((CI) => isCI({ CI }))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
