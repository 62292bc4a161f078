import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../src/observe/mask-secrets.js';

describe('maskSecrets', () => {
  it.each([
    ['login failed password=hunter2 user=bob', 'login failed password=(redacted) user=bob'],
    ['{"password":"hunter2","ok":1}', '{"password":"(redacted)","ok":1}'],
    ['refresh token=abc123&api_key=k3y', 'refresh token=(redacted)&api_key=(redacted)'],
    ['Authorization: Bearer abcdefgh12345', 'Authorization: Bearer (redacted)'],
    ['authorization=Basic YWRtaW46cGFzcw==', 'authorization=Basic (redacted)'],
    ['postgres://app:s3cr3t@db:5432/x', 'postgres://app:(redacted)@db:5432/x'],
    ['key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'key (redacted) secret (redacted)'],
    ['stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe (redacted)'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl', 'jwt (redacted)'],
  ])('%s', (line, masked) => {
    expect(maskSecrets(line)).toBe(masked);
  });

  it.each([
    'Error: connect ECONNREFUSED 10.0.1.5:5432',
    'commit 0123456789abcdef0123456789abcdef01234567 deployed',
    'Token expired for user 42',
    'auth failed: bad credentials',
    'GET /health 401 in 3ms',
  ])('leaves %j alone', (line) => {
    expect(maskSecrets(line)).toBe(line);
  });
});
