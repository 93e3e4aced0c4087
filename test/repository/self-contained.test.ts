import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { standardsDir } from '../helpers/standards.js';

/**
 * The project runs and tests from its own files: nothing reads the `shared` folder that sits beside the
 * repository on some development machines (a fresh clone has no such folder).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const self = path.relative(root, fileURLToPath(import.meta.url));

// The folder's name is put together here so that this file does not match its own patterns.
const folder = ['sha', 'red'].join('');
const readsOutside = [
  // the folder one level up (with / or \ after the dots), its absolute path, or its standards and skills subfolders
  new RegExp(`\\.\\.[\\\\/]+${folder}(?![\\w-])`),
  new RegExp(`/work/${folder}(?![\\w-])`),
  new RegExp(`(?<![\\w-])${folder}[\\\\/](standards|skills|tools|hooks)(?![\\w-])`),
  // path.join(…, '..', 'shared') and the like
  new RegExp(`['"\`]\\.\\.['"\`]\\s*,\\s*['"\`]${folder}['"\`]`),
];
const binary = /\.(zip|gz|br|png|jpe?g|gif|webp|ico|pdf|woff2?|ttf|otf|wasm|data)$/i;

function projectFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (git.status === 0 && git.stdout.length > 0) return git.stdout.split('\0').filter(Boolean);
  // Not a git checkout (an unpacked archive): walk the tree, leaving out what is built or installed.
  const skip = new Set(['node_modules', '.git', 'dist', 'data', 'coverage']);
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return skip.has(entry.name) ? [] : walk(relative);
      return entry.isFile() ? [relative] : [];
    });
  return walk('');
}

describe('the repository is self-contained', () => {
  it(`has no file outside the docs that reads the ${folder} folder beside the project`, () => {
    const files = projectFiles().filter(
      (file) => file !== self && !file.endsWith('.md') && !binary.test(file) && existsSync(path.join(root, file)),
    );
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) => {
      const full = path.join(root, file);
      if (statSync(full).size > 4 * 1024 * 1024) return [];
      return readFileSync(full, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          readsOutside.some((re) => re.test(line)) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
        );
    });
    expect(offenders).toEqual([]);
  });

  it('catches the ways of reading it', () => {
    const lines = [
      `new URL('../../../${folder}/standards', import.meta.url)`,
      `path.resolve(process.argv[2] ?? '../${folder}/skills')`,
      `path.join(root, '..', '${folder}')`,
      `readFileSync('/work/${folder}/skills/esco/x.zip')`,
    ];
    for (const line of lines)
      expect(
        readsOutside.some((re) => re.test(line)),
        line,
      ).toBe(true);
    for (const line of [`state: '${folder}'`, `const ${folder} = deepFreeze(x)`, `${folder}-links.ts`])
      expect(
        readsOutside.some((re) => re.test(line)),
        line,
      ).toBe(false);
  });

  it('keeps the fixtures the tests read inside the repository, each source with its licence and credit', () => {
    expect(path.relative(root, standardsDir)).toBe(path.join('test', 'fixtures', 'standards'));
    const fixtures = path.join(root, 'test', 'fixtures');
    const sources = [
      ...readdirSync(path.join(fixtures, 'standards')).map((name) => path.join('standards', name)),
      'skills',
    ].filter((name) => statSync(path.join(fixtures, name)).isDirectory());
    expect(sources.length).toBeGreaterThanOrEqual(5);
    for (const source of sources) {
      const readme = path.join(fixtures, source, 'README.md');
      expect(existsSync(readme), `${source} has a README`).toBe(true);
      const text = readFileSync(readme, 'utf8');
      expect(text, `${source}/README.md names a licence`).toMatch(/licen[cs]e/i);
      expect(text, `${source}/README.md names its source`).toMatch(/https:\/\//);
    }
    const skills = readFileSync(path.join(fixtures, 'skills', 'README.md'), 'utf8');
    expect(skills).toContain('ESCO classification of the European Commission');
    expect(skills).toContain('O*NET 29.2 Database by the U.S. Department of Labor');
  });
});
