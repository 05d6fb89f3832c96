import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { license: string; engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; dev?: boolean }>;
};

describe('a clean clone', () => {
  it('installs on every Node version package.json accepts: no locked package asks for a newer one', () => {
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    const refusing = Object.entries(lock.packages).flatMap(([name, p]) => {
      const wanted = p.engines && !Array.isArray(p.engines) ? p.engines.node : undefined;
      return wanted && !semver.satisfies(lowest, wanted) ? [`${name}@${p.version} needs node ${wanted}`] : [];
    });
    expect({ lowest, refusing }).toEqual({ lowest: '20.19.0', refusing: [] });
  });

  it('has the LICENSE package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });

  it('holds the article the default data set is written from', () => {
    const record = JSON.parse(readFileSync(path.join(ROOT, 'src', 'data', 'article', 'article.json'), 'utf8')) as { text: string; title: string };
    const text = readFileSync(path.join(ROOT, 'src', 'data', 'article', record.text), 'utf8');
    expect(text).toContain(record.title);
    expect(existsSync(path.join(ROOT, 'events', record.text))).toBe(false);
  });
});
