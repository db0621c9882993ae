/**
 * Every relative link in the documents people read points at a file that exists and, with a `#…`, at
 * a heading that file has (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');
const DOCS = ['README.md', 'devices/README.md', 'bench/README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Markdown outside code: fenced blocks and inline code hold examples, not links. */
function prose(text: string): string {
  return text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
}

function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = anchorOf(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function links(file: string): string[] {
  return [...prose(readFileSync(join(ROOT, file), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

test('the documents link to each other, with GitHub anchors as they use them', () => {
  expect(links('README.md')).toEqual(expect.arrayContaining(['docs/deploy.md', 'devices/README.md', 'bench/README.md', 'docs/architecture.md', '#settings']));
  expect(anchorOf('2. A home')).toBe('2-a-home');
  expect(anchorOf('The home bridge, by concept')).toBe('the-home-bridge-by-concept');
  expect(anchorOf('Keep it running (systemd)')).toBe('keep-it-running-systemd');
});

test.each(DOCS)('every relative link in %s resolves', (doc) => {
  const broken: string[] = [];
  for (const target of links(doc)) {
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const file = path === '' ? join(ROOT, doc) : join(ROOT, dirname(doc), decodeURIComponent(path));
    if (!existsSync(file)) {
      broken.push(`${target}: no ${relative(ROOT, file)}`);
      continue;
    }
    if (anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${relative(ROOT, file)}`);
  }
  expect(broken).toEqual([]);
});
