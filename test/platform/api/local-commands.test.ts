import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {type AddressInfo, createServer} from 'node:net'
import {join} from 'node:path'

import type {App} from '../../../src/api/types.js'
import {isAlive} from '../../../src/config/local.js'
import {DetachError, startDetached, stopPlatform} from '../../../src/platform/daemon.js'
import {lockStateFolder} from '../../../src/platform/store/state-lock.js'
import {akaBin, platformMain} from '../../helpers/built.js'
import {runCommand} from '../../helpers/run.js'
import {startTestPlatform, tempHome} from './harness.js'

/**
 * `aka ARGS` in this process, as `aka` would run it with HOME=home: a detached start still spawns
 * the platform, so only the foreground start that runs needs the CLI's own process.
 */
async function akaHere(args: string[], home: string): Promise<{stdout: string, stderr: string, exitCode: number}> {
  const {stdout, stderr, exitCode} = await runCommand(args, {env: {HOME: home, AKKERIS_LOCAL_HOME: join(home, 'local')}})
  return {stdout, stderr, exitCode}
}

describe('aka local:start --detach, local:status, local:stop', function () {
  this.timeout(90_000)
  let home: string
  let pid: number | undefined

  beforeEach(() => {
    home = tempHome()
    pid = undefined
  })

  afterEach(() => {
    // Whatever happened above, nothing is left running.
    if (pid !== undefined && isAlive(pid)) process.kill(-pid, 'SIGKILL')
    rmSync(home, {recursive: true, force: true})
  })

  it('starts the platform in the background, reports it, serves the CLI, and stops it', async () => {
    const started = await akaHere(['local:start', '--detach', '--port', '0'], home)
    expect(started.exitCode, started.stderr).to.equal(0)
    const state = join(home, 'local')
    const record = JSON.parse(readFileSync(join(state, 'platform.json'), 'utf8')) as {pid: number, url: string}
    pid = record.pid
    expect(started.stdout).to.equal(`${record.url}\n`)
    expect(started.stderr).to.equal(`The local platform runs in the background (pid ${pid}); its log is ${join(state, 'platform.log')}. Stop it with \`aka local:stop\`.\n`)
    expect(readFileSync(join(state, 'platform.pid'), 'utf8')).to.equal(`${pid}\n`)
    expect(readFileSync(join(state, 'platform.log'), 'utf8')).to.include(`listening on ${record.url}`)

    const again = await akaHere(['local:start', '--detach'], home)
    expect([again.exitCode, again.stderr]).to.deep.equal([1, `Error: The local platform already runs at ${record.url} (pid ${pid}); stop it with \`aka local:stop\`\n`])

    const token = readFileSync(join(state, 'token'), 'utf8').trim()
    const headers = {authorization: `Bearer ${token}`}
    await fetch(`${record.url}/apps`, {method: 'POST', headers, body: JSON.stringify({name: 'hello'})})
    await fetch(`${record.url}/apps/hello-default/formation`, {method: 'POST', headers, body: JSON.stringify({type: 'web', quantity: 0})})

    const ps = await akaHere(['ps', '-a', 'hello-default'], home)
    expect([ps.exitCode, ps.stderr]).to.deep.equal([0, ''])
    expect(ps.stdout).to.match(/^=== web \(gp1\): .* \(0\)\n/)

    const status = await akaHere(['local:status'], home)
    expect(status.exitCode).to.equal(0)
    expect(status.stdout).to.match(new RegExp(`^The local platform runs at ${record.url} \\(pid ${pid}, since .+\\)\\.\\nState folder: ${state}\\n\\nApp +URL +Dynos\\nhello-default +http://127\\.0\\.0\\.1:\\d+ +none\\n$`))
    const json = await akaHere(['local:status', '--json'], home)
    expect(JSON.parse(json.stdout)).to.deep.include({running: true, url: record.url, pid, home: state})

    const stopped = await akaHere(['local:stop'], home)
    expect([stopped.exitCode, stopped.stderr]).to.deep.equal([0, `Stopped the local platform (pid ${pid}).\n`])
    expect(isAlive(pid)).to.equal(false)
    expect(existsSync(join(state, 'platform.json'))).to.equal(false)
    expect(existsSync(join(state, 'platform.pid'))).to.equal(false)

    const notRunning = await akaHere(['local:status'], home)
    expect([notRunning.exitCode, notRunning.stdout]).to.deep.equal([1, `The local platform is not running (state folder ${state}).\n`])
    const stopAgain = await akaHere(['local:stop'], home)
    expect([stopAgain.exitCode, stopAgain.stderr]).to.deep.equal([0, 'The local platform is not running.\n'])
  })
  it('says when the port is taken, in the foreground and detached', async () => {
    const blocker = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', () => resolve()))
    try {
      const {port} = blocker.address() as AddressInfo
      const message = `Error: Port ${port} on 127.0.0.1 is in use; choose another with --port\n`
      const detached = await akaHere(['local:start', '--detach', '--port', String(port)], home)
      expect([detached.exitCode, detached.stdout, detached.stderr]).to.deep.equal([1, '', message])
      expect(existsSync(join(home, 'local', 'platform.pid'))).to.equal(false)
      // A foreground start that fails before it listens: in this process too (one that started would hold the test to its timeout).
      const foreground = await akaHere(['local:start', '--port', String(port)], home)
      expect([foreground.exitCode, foreground.stderr]).to.deep.equal([1, message])
      expect(existsSync(join(home, 'local', 'platform.json'))).to.equal(false)
    } finally {
      blocker.close()
    }
  })

  it('starts again after the platform was killed with kill -9', async () => {
    const state = join(home, 'local')
    expect((await akaHere(['local:start', '--detach', '--port', '0'], home)).exitCode).to.equal(0)
    const first = JSON.parse(readFileSync(join(state, 'platform.json'), 'utf8')) as {pid: number}
    pid = first.pid
    process.kill(first.pid, 'SIGKILL')
    for (let wait = 0; isAlive(first.pid) && wait < 100; wait++) await new Promise(resolve => setTimeout(resolve, 50))
    const status = await akaHere(['local:status'], home)
    expect([status.exitCode, status.stdout]).to.deep.equal([1, `The local platform is not running (state folder ${state}).\n`])
    const restarted = await akaHere(['local:start', '--detach', '--port', '0'], home)
    expect(restarted.exitCode, restarted.stderr).to.equal(0)
    pid = (JSON.parse(readFileSync(join(state, 'platform.json'), 'utf8')) as {pid: number}).pid
    expect(pid).to.not.equal(first.pid)
    expect((await akaHere(['local:stop'], home)).stderr).to.equal(`Stopped the local platform (pid ${pid}).\n`)
  })
})

describe('one platform per state folder', function () {
  this.timeout(90_000)
  let home: string
  const pids: number[] = []

  beforeEach(() => {
    home = tempHome()
  })

  afterEach(() => {
    for (const pid of pids.splice(0).filter(pid => isAlive(pid))) process.kill(-pid, 'SIGKILL')
    rmSync(home, {recursive: true, force: true})
  })

  it('lets exactly one of two platforms started at once win; the other says who holds the folder; after kill -9 of the winner a new one takes over', async () => {
    const env = {...process.env}
    delete env.NODE_OPTIONS
    const starts = await Promise.allSettled([startDetached(home, {port: 0}, env), startDetached(home, {port: 0}, env)])
    const won = starts.flatMap(start => (start.status === 'fulfilled' ? [start.value] : []))
    const lost = starts.flatMap(start => (start.status === 'rejected' ? [start.reason as DetachError] : []))
    pids.push(...won.map(record => record.pid))
    expect([won.length, lost.length], lost.map(error => error.message).join('; ')).to.deep.equal([1, 1])
    const [winner] = won
    expect(lost[0]).to.be.instanceOf(DetachError)
    expect(lost[0].reason.name).to.equal('PlatformRunningError')
    // The loser reports its own failure, naming the winner: by URL once it listens, else by pid.
    expect(lost[0].message).to.be.oneOf([
      `The local platform already runs at ${winner.url} (pid ${winner.pid})`,
      `Another local platform (pid ${winner.pid}) is starting in ${home}`,
    ])
    expect(readFileSync(join(home, 'platform.pid'), 'utf8')).to.equal(`${winner.pid}\n`)
    expect(readFileSync(join(home, 'platform.log'), 'utf8').split('\n').filter(line => line.includes('listening on'))).to.have.length(1)
    const token = readFileSync(join(home, 'token'), 'utf8').trim()
    expect((await fetch(`${winner.url}/apps`, {headers: {authorization: token}})).status).to.equal(200)

    process.kill(winner.pid, 'SIGKILL')
    for (let wait = 0; isAlive(winner.pid) && wait < 100; wait++) await new Promise(resolve => setTimeout(resolve, 50))
    const next = await startDetached(home, {port: 0}, env)
    pids.push(next.pid)
    expect(next.pid).to.not.equal(winner.pid)
    expect(readFileSync(join(home, 'platform.pid'), 'utf8')).to.equal(`${next.pid}\n`)
    expect(await stopPlatform(home, env)).to.equal(next.pid)
    expect(['platform.json', 'platform.pid'].filter(name => existsSync(join(home, name)))).to.deep.equal([])
  })

  it('stops cleanly on a SIGTERM sent as soon as the pid file names it, while it may still be starting', async () => {
    const env: NodeJS.ProcessEnv = {...process.env, AKKERIS_LOCAL_HOME: home}
    delete env.NODE_OPTIONS
    const child = spawn(process.execPath, [platformMain, '--port', '0'], {env, stdio: ['ignore', 'ignore', 'pipe']})
    pids.push(child.pid as number)
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
    const pidFile = join(home, 'platform.pid')
    for (let wait = 0; !existsSync(pidFile) && wait < 1000; wait++) await new Promise(resolve => setTimeout(resolve, 5))
    expect(readFileSync(pidFile, 'utf8')).to.equal(`${child.pid}\n`)
    child.kill('SIGTERM')
    expect(await exited, stderr).to.equal(0)
    expect(stderr).to.match(/ SIGTERM: stopping the dynos and the API\n.* stopped\n$/)
    expect(['platform.json', 'platform.pid'].filter(name => existsSync(join(home, name)))).to.deep.equal([])
  })
})

describe('aka local:start while another platform holds the state folder', function () {
  this.timeout(90_000)

  it('says which one, in one line, detached and in the foreground, and changes nothing', async () => {
    const home = tempHome()
    const state = join(home, 'local')
    mkdirSync(state)
    // This process stands for a platform that has taken the lock and not yet listens.
    const lock = lockStateFolder(state)
    writeFileSync(join(state, 'platform.pid'), `${process.pid}\n`)
    try {
      const message = `Error: Another local platform (pid ${process.pid}) is starting in ${state}; stop it with \`aka local:stop\`\n`
      const detached = await akaHere(['local:start', '--detach', '--port', '0'], home)
      expect([detached.exitCode, detached.stdout, detached.stderr]).to.deep.equal([1, '', message])
      const foreground = await akaHere(['local:start', '--port', '0'], home)
      expect([foreground.exitCode, foreground.stdout, foreground.stderr]).to.deep.equal([1, '', message])
      expect(readFileSync(join(state, 'platform.pid'), 'utf8')).to.equal(`${process.pid}\n`)
      expect(existsSync(join(state, 'platform.json'))).to.equal(false)
    } finally {
      lock.release()
      rmSync(home, {recursive: true, force: true})
    }
  })
})

describe('the embedded default: a running local platform and no other configuration', () => {
  it('serves `aka ps` with the token from the state folder', async () => {
    const home = tempHome()
    const platform = await startTestPlatform(join(home, 'local'))
    try {
      const app = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
      await platform.request('POST', '/apps/shop-default/formation', {type: 'web', command: 'node web.js'})
      const created = new Date(Date.now() - 5 * 60_000).toISOString()
      platform.runtime.dynoLists.set(app.id, [{
        attach_url: '', command: 'node web.js', created_at: created, id: 'id-1', name: '0123456789-abcde', release: {id: 'r1', version: 1},
        app: {id: app.id, name: 'shop-default'}, size: 'gp1', state: 'running', ready: true, restarts: 0, type: 'web', updated_at: created, additional_info: '',
      }])
      const {stdout, stderr, exitCode} = await runCommand(['ps', '-a', 'shop-default'], {env: {HOME: home, AKKERIS_LOCAL_HOME: join(home, 'local')}})
      expect([exitCode, stderr]).to.deep.equal([0, ''])
      expect(stdout).to.equal([
        '=== web (gp1): node web.js (1)',
        'Dyno                  State    Ready  Restarts  Release  Age',
        'web.0123456789-abcde  running  yes    0         v1       5m',
        '',
      ].join('\n'))
      expect(platform.logs.filter(line => line.startsWith('GET /apps/shop-default/')).map(line => line.replace(/ \d+ms$/, ''))).to.deep.equal([
        'GET /apps/shop-default/formation 200', 'GET /apps/shop-default/dynos 200',
      ])
    } finally {
      await platform.close()
      rmSync(home, {recursive: true, force: true})
    }
  })
})

describe('aka local:start in the foreground', function () {
  this.timeout(60_000)

  it('logs requests to stderr and stops cleanly on Ctrl-C (SIGINT)', async () => {
    const home = tempHome()
    const env: NodeJS.ProcessEnv = {...process.env, HOME: home, AKKERIS_LOCAL_HOME: join(home, 'local'), NO_COLOR: '1'}
    const child = spawn(process.execPath, [akaBin, 'local:start', '--port', '0'], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
    try {
      const recordFile = join(home, 'local', 'platform.json')
      for (let wait = 0; !existsSync(recordFile) && wait < 300; wait++) await new Promise(resolve => setTimeout(resolve, 100))
      const record = JSON.parse(readFileSync(recordFile, 'utf8')) as {pid: number, url: string}
      expect(record.pid).to.equal(child.pid)
      const token = readFileSync(join(home, 'local', 'token'), 'utf8').trim()
      expect((await fetch(`${record.url}/apps`, {headers: {authorization: token}})).status).to.equal(200)
      child.kill('SIGINT')
      expect(await exited).to.equal(0)
      const lines = stderr.trim().split('\n').map(line => line.replace(/^\S+Z /, '').replace(/ \d+ms$/, ''))
      expect(lines).to.deep.equal([`listening on ${record.url} (state folder ${join(home, 'local')})`, 'GET /apps 200', 'SIGINT: stopping the dynos and the API', 'stopped'])
      expect(existsSync(recordFile)).to.equal(false)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(home, {recursive: true, force: true})
    }
  })
})
