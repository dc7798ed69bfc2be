// The platform with its state folder on a small disk that the test fills: a tmpfs it mounts itself
// (root on Linux, as CI runs) and removes after. Where it cannot mount one, it says why and skips.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {isAlive} from '../../src/config/local.js'
import {runCommand} from '../helpers/run.js'

const EXAMPLE = fileURLToPath(new URL('../../examples/hello', import.meta.url))
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * `aka ARGS` in this process with HOME=home (a detached start still spawns the platform): the CLI's
 * own process would add only its start-up.
 */
async function aka(args: string[], home: string, env: Record<string, string>): Promise<{stdout: string, stderr: string, exitCode: number}> {
  const {stdout, stderr, exitCode} = await runCommand(args, {env: {HOME: home, ...env}})
  return {stdout, stderr, exitCode}
}

/** Mounts a 4 MiB tmpfs on `dir`; the reason when it cannot. */
function mountSmallDisk(dir: string): string | undefined {
  if (process.platform !== 'linux') return 'a tmpfs of a chosen size needs Linux'
  if (process.getuid?.() !== 0) return 'mounting a small disk needs root (CI runs as root)'
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], {stdio: 'pipe'})
    return undefined
  } catch (error) {
    return `mount -t tmpfs failed: ${String((error as {stderr?: Buffer}).stderr ?? (error as Error).message).trim()}`
  }
}

/** Writes a file until the disk is full. */
function fill(file: string): void {
  const fd = openSync(file, 'w')
  const chunk = Buffer.alloc(64 * 1024)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  } finally {
    closeSync(fd)
  }
}

/** Processes whose working folder is on the disk: the platform's dynos. */
function processesOn(dir: string): number[] {
  return readdirSync('/proc').filter(name => /^\d+$/.test(name)).flatMap(name => {
    try {
      return readlinkSync(`/proc/${name}/cwd`).startsWith(dir) ? [Number(name)] : []
    } catch {
      return []
    }
  })
}

describe('local platform: a full disk under the state folder (real processes)', function () {
  this.timeout(180_000)
  let root: string
  let disk: string
  let mounted = false
  let platformPid: number | undefined

  before(function () {
    root = mkdtempSync(join(tmpdir(), 'aka-disk-'))
    disk = join(root, 'disk')
    mkdirSync(disk)
    const reason = mountSmallDisk(disk)
    if (reason) {
      console.log(`      skipped: ${reason}`)
      this.skip()
    }
    mounted = true
  })

  after(async () => {
    if (platformPid !== undefined && isAlive(platformPid)) process.kill(platformPid, 'SIGKILL')
    if (mounted) {
      for (const pid of processesOn(disk)) process.kill(pid, 'SIGKILL')
      for (let attempt = 0; ; attempt++) {
        try {
          execFileSync('umount', attempt < 20 ? [disk] : ['-l', disk], {stdio: 'pipe'})
          break
        } catch (error) {
          if (attempt >= 20) throw error
          await sleep(100)
        }
      }
    }
    rmSync(root, {recursive: true, force: true})
  })

  it('answers writes 507 naming the state folder, keeps serving reads and running its dyno, and takes writes again once space is freed', async () => {
    const home = join(root, 'home')
    const state = join(disk, 'local')
    const env = {AKKERIS_LOCAL_HOME: state}
    const started = await aka(['local:start', '--detach', '--port', '0'], home, env)
    expect(started.exitCode, started.stderr).to.equal(0)
    const record = JSON.parse(readFileSync(join(state, 'platform.json'), 'utf8')) as {pid: number, url: string}
    platformPid = record.pid
    const token = readFileSync(join(state, 'token'), 'utf8').trim()
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${record.url}${path}`, {method, headers: {authorization: token}, body: body === undefined ? undefined : JSON.stringify(body)})
      return {status: response.status, text: await response.text()}
    }
    expect((await api('POST', '/apps', {name: 'full'})).status).to.equal(201)
    expect((await api('POST', '/apps/full-default/builds', {url: `file://${EXAMPLE}`})).status).to.equal(201)
    expect((await api('PATCH', '/apps/full-default/formation', [{type: 'web', quantity: 0}, {type: 'worker', quantity: 1}])).status).to.equal(200)
    // Started is enough (a worker counts as running after 3 s up): its process runs and logs.
    const liveWorkers = async () => (JSON.parse((await api('GET', '/apps/full-default/dynos')).text) as {type: string, name: string, state: string, restarts: number}[])
      .filter(dyno => dyno.type === 'worker' && ['starting', 'running'].includes(dyno.state)).map(({name, restarts}) => ({name, restarts}))
    let workers = await liveWorkers()
    for (let wait = 0; workers.length === 0 && wait < 300; wait++) {
      await sleep(100)
      workers = await liveWorkers()
    }
    expect(workers).to.have.length(1)

    fill(join(disk, 'filler'))
    const message = `The local platform cannot write to its state folder ${state}: the disk is full (SQLITE_FULL). Free some space there, then try again; reads and running dynos go on`
    const configSet = await aka(['config:set', 'A=1', '-a', 'full-default'], home, env)
    expect([configSet.exitCode, configSet.stdout, configSet.stderr]).to.deep.equal([1, '', `Error: ${message} (HTTP 507)\n`])
    expect(await api('PATCH', '/apps/full-default/formation/worker', {quantity: 2})).to.deep.equal({status: 507, text: message})
    expect(await api('POST', '/apps', {name: 'other'})).to.deep.equal({status: 507, text: message})
    // Every request is a line of platform.log, which is on the full disk too.
    for (let request = 0; request < 300; request++) expect((await api('GET', '/apps')).status).to.equal(200)
    const ticks = async () => (await api('GET', '/apps/full-default/logs?lines=1000')).text.split('\n').filter(line => / worker\.[^:]+: tick /.test(line))
    const before = (await ticks()).length
    let after = before
    for (let wait = 0; after <= before && wait < 50; wait++) {
      await sleep(100)
      after = (await ticks()).length
    }
    expect(after, 'the worker goes on logging').to.be.above(before)
    expect(await liveWorkers()).to.deep.equal(workers)
    expect(isAlive(record.pid)).to.equal(true)
    const other = join(disk, 'other')
    const cannotStart = await aka(['local:start', '--detach', '--port', '0'], home, {AKKERIS_LOCAL_HOME: other})
    expect([cannotStart.exitCode, cannotStart.stdout, cannotStart.stderr]).to.deep.equal([1, '',
      `Error: The local platform cannot write to its state folder ${other}: the disk is full (ENOSPC). Free some space there, then start it again\n`])

    rmSync(join(disk, 'filler'))
    const again = await aka(['config:set', 'A=1', '-a', 'full-default'], home, env)
    expect([again.exitCode, again.stderr]).to.deep.equal([0, ''])
    // The platform writes its log after it answers: the count of lost lines comes with the next line it writes.
    const lost = / \(\d+ lines of this log lost: ENOSPC\)\n/
    for (let wait = 0; !lost.test(readFileSync(join(state, 'platform.log'), 'utf8')) && wait < 50; wait++) await sleep(100)
    expect(readFileSync(join(state, 'platform.log'), 'utf8')).to.match(lost)
    const stopped = await aka(['local:stop'], home, env)
    expect([stopped.exitCode, stopped.stderr]).to.deep.equal([0, `Stopped the local platform (pid ${record.pid}).\n`])
    expect(processesOn(disk)).to.deep.equal([])
  })
})
