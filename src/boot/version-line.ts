// `aka --version` without loading oclif (about 100 ms of modules): the line oclif prints
// (config.userAgent), built the same way, in the cases where the result is certain. Anything else
// (another argument, an init or finally hook oclif would run, a machine that may be WSL, which oclif
// names `wsl`) returns undefined and oclif answers as usual.
import {existsSync, readFileSync} from 'node:fs'
import {arch, platform, release} from 'node:os'

interface PackageJson {
  name: string
  version?: string
  oclif?: {hooks?: Record<string, unknown>}
}

/** Hooks oclif runs around `--version`. */
const VERSION_HOOKS = ['init', 'finally']

/** The same checks as is-wsl (which oclif asks): any sign of WSL and oclif must decide. */
function mayBeWsl(): boolean {
  if (platform() !== 'linux') return false
  if (release().toLowerCase().includes('microsoft')) return true
  try {
    if (readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return true
  } catch {
    // no /proc/version: not a sign either way
  }
  return existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')
}

export function versionLine(root: URL, argv: string[]): string | undefined {
  if (argv.length !== 1 || argv[0] !== '--version') return undefined
  const pjson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as PackageJson
  const hooks = pjson.oclif?.hooks ?? {}
  if (VERSION_HOOKS.some(hook => hook in hooks) || mayBeWsl()) return undefined
  const architecture = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version ?? '0.0.0'} ${platform()}-${architecture} node-${process.version}`
}
