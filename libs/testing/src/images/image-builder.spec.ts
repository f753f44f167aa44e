import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfrastructureError } from '../infrastructure.error';
import { imageContentHash, imageTag } from './image-builder';

describe('imageContentHash', () => {
  let root: string;
  const previous = process.env.CARECHAIN_REPO_ROOT;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'carechain-images-'));
    mkdirSync(join(root, 'infra', 'images', 'redis', 'conf'), { recursive: true });
    writeFileSync(join(root, 'infra', 'images', 'redis', 'Dockerfile'), 'FROM carechain/base:bookworm\n');
    writeFileSync(join(root, 'infra', 'images', 'redis', 'conf', 'a.conf'), 'x');
    process.env.CARECHAIN_REPO_ROOT = root;
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env.CARECHAIN_REPO_ROOT;
    else process.env.CARECHAIN_REPO_ROOT = previous;
  });

  it('is stable for unchanged inputs and ignores .build/ and README.md', () => {
    const before = imageContentHash('redis', 'sha256:base');
    mkdirSync(join(root, 'infra', 'images', 'redis', '.build'));
    writeFileSync(join(root, 'infra', 'images', 'redis', '.build', 'artifact'), 'derived');
    writeFileSync(join(root, 'infra', 'images', 'redis', 'README.md'), 'notes');
    expect(imageContentHash('redis', 'sha256:base')).toBe(before);
    expect(imageTag('redis', before)).toBe(`carechain/redis:${before}`);
  });

  it('changes with a nested file, the executable bit, or the base image', () => {
    const before = imageContentHash('redis', 'sha256:base');
    expect(imageContentHash('redis', 'sha256:other-base')).not.toBe(before);
    chmodSync(join(root, 'infra', 'images', 'redis', 'conf', 'a.conf'), 0o755);
    const afterChmod = imageContentHash('redis', 'sha256:base');
    expect(afterChmod).not.toBe(before);
    writeFileSync(join(root, 'infra', 'images', 'redis', 'conf', 'a.conf'), 'y');
    expect(imageContentHash('redis', 'sha256:base')).not.toBe(afterChmod);
  });

  it('fails with a typed error when the image has no Dockerfile', () => {
    expect(() => imageContentHash('ferretdb', 'sha256:base')).toThrow(InfrastructureError);
  });
});
