/**
 * The README is read on the npm page first, where relative links break: it links into the repository by its
 * URL, and every such link must name a file that exists. It speaks to users first (install, a program,
 * synth), then to contributors (clone, npm ci, the two commands).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
const readme = readFileSync(join(root, 'README.md'), 'utf-8');
const repository: string = manifest.repository.url.replace(/\.git$/, '');

/** The targets of the Markdown links `[text](target)` of a document, code blocks left out. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

test('package.json names the project\'s repository, not a placeholder', () => {
  expect(repository).toBe('https://github.com/cdk8s-istio-traffic/cdk8s-istio-traffic');
  expect(manifest.jsii.targets.go.moduleName).toBe('github.com/cdk8s-istio-traffic/cdk8s-istio-traffic-go');
  expect(manifest.jsii.targets.java.maven.groupId).toBe('io.github.cdk8s-istio-traffic');
});

test('every README link is absolute or an anchor, and links into the repository name files that exist', () => {
  const targets = linkTargets(readme);
  expect(targets.length).toBeGreaterThan(10);
  const relative = targets.filter((t) => !/^(https?:\/\/|#)/.test(t));
  expect(relative).toEqual([]);
  const missing = targets
    .filter((t) => t.startsWith(`${repository}/`))
    .map((t) => /^\/(?:blob|tree)\/main\/([^#]*)/.exec(t.slice(repository.length)))
    .filter((m) => m === null || !existsSync(join(root, m[1])));
  expect(missing).toEqual([]);
  expect(targets.filter((t) => t.startsWith('https://github.com/') && !t.startsWith(`${repository}/`))).toEqual([]);
});

test('the guides link to files of the repository that exist', () => {
  for (const guide of readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'))) {
    const file = join(root, 'docs', guide);
    const broken = linkTargets(readFileSync(file, 'utf-8'))
      .filter((t) => !/^(https?:\/\/|#|mailto:)/.test(t))
      .filter((t) => !existsSync(resolve(dirname(file), t.split('#')[0])));
    expect({ guide, broken }).toEqual({ guide, broken: [] });
  }
});

test('users first: Install with the peer dependencies, then the contributors\' quick start', () => {
  const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  expect(sections.slice(0, 2)).toEqual(['Install', 'Contributing: quick start']);
  const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## Contributing'));
  const peers = Object.keys(manifest.peerDependencies).sort();
  expect(peers).toEqual(['cdk8s', 'constructs']);
  expect(install).toContain(`npm install cdk8s-istio-traffic ${peers.join(' ')}`);
  expect(install).toMatch(/^npx cdk8s synth$/m);
  const quickStart = readme.slice(readme.indexOf('## Contributing'), readme.indexOf('## The patterns'));
  const commands = [...quickStart.matchAll(/^(git clone \S+|npm ci|npm run example|npm test)\b/gm)].map((m) => m[1]);
  expect(commands).toEqual([`git clone ${repository}.git`, 'npm ci', 'npm run example', 'npm test']);
});

test('the README\'s commands are the ones package.json defines', () => {
  for (const script of [...readme.matchAll(/^npm (?:run )?([a-z:-]+)/gm)].map((m) => m[1]).filter((s) => !['ci', 'install'].includes(s))) {
    expect(Object.keys(manifest.scripts)).toContain(script);
  }
});
