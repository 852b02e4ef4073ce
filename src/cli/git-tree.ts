/**
 * Reads YAML files as a git commit has them, for `diff --base-ref`: the base side of a pull request is the
 * same paths at another ref, without checking it out. The files are copied to a temporary directory and
 * read by the ordinary manifest reader, so both sides are parsed the same way.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, extname, join } from 'path';
import { LoadedManifest, loadManifests, ManifestReadError, YAML_EXTENSIONS } from './manifests';


/** The objects of the YAML files under `paths` (relative to the working directory) at git `ref`; none when the paths did not exist there. */
export function loadManifestsAtRef(ref: string, paths: string[]): LoadedManifest[] {
  const files = git(['ls-tree', '-r', '-z', '--name-only', '--full-name', ref, '--', ...paths]).split('\0')
    .filter((f) => f !== '' && YAML_EXTENSIONS.includes(extname(f)));
  const root = mkdtempSync(join(tmpdir(), 'cdk8s-istio-traffic-'));
  try {
    for (const file of files) {
      const target = join(root, file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, git(['show', `${ref}:${file}`]));
    }
    // Files are named as in the repository (`dist/app.k8s.yaml`), not by the temporary copy.
    return files.length === 0 ? [] : loadManifests([root]).map((m) => ({ ...m, file: m.file.slice(root.length + 1) }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf-8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new ManifestReadError(`git ${args[0]} failed: ${stderr || (err as Error).message}`);
  }
}
