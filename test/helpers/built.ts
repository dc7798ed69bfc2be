// The built CLI and platform (dist/, what `npm install` gives users), for the tests that run them as
// processes: they start in a tenth of the time of the sources through tsx (about 0.1 s of CPU
// against 1.3 s each). The suite's global setup builds first when a source is newer than the build,
// so no test runs stale code; tests that import modules still import the sources.
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** `aka` as users run it. */
export const akaBin = join(root, 'bin', 'run.js')
/** The local platform's process, as `aka local:start` runs it. */
export const platformMain = join(root, 'dist', 'platform', 'main.js')

/** What the build reads; the bundle is the last thing it writes. */
const INPUTS = ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json']
const OUTPUTS = [join('dist', 'aka.cjs'), join('dist', 'boot.cjs'), join('dist', 'oclif.manifest.json'), join('dist', 'platform', 'main.js')]

/** The newest change to the code under `path`: its files (a README is not built) and folders (a file added or removed). */
function newest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return /\.(ts|js|cjs|json)$/.test(path) ? stat.mtimeMs : 0
  return Math.max(stat.mtimeMs, ...readdirSync(path).map(name => newest(join(path, name))))
}

/** Why the build must run again, or undefined when dist/ is up to date. */
function staleBuild(): string | undefined {
  const missing = OUTPUTS.find(output => !existsSync(join(root, output)))
  if (missing) return `${missing} is missing`
  const built = Math.min(...OUTPUTS.map(output => statSync(join(root, output)).mtimeMs))
  const changed = INPUTS.find(input => existsSync(join(root, input)) && newest(join(root, input)) > built)
  return changed ? `${changed} changed since the last build` : undefined
}

/** Runs `npm run build` when dist/ is older than its sources. */
export function ensureBuilt(): void {
  const why = staleBuild()
  if (!why) return
  process.stderr.write(`Building dist/ for the tests that run aka and the platform as processes (${why})\n`)
  execFileSync('npm', ['run', 'build', '--silent'], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']})
}
