// `aka run` end to end: a detached platform, a deployed folder, and aka run as a real process
// (exit codes, signals, stdin, output order, --detached, nothing left after kill -9 of the platform).
// The other commands (local:start, apps:create, ps, logs, ps:stop) run in this process: a child of
// their own would only add its start-up.
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {isAlive} from '../../src/config/local.js'
import {aka} from '../helpers/aka-process.js'
import {akaBin} from '../helpers/built.js'
import {runCommand} from '../helpers/run.js'
import {tempHome} from './api/harness.js'

interface Finished {
  stdout: string
  stderr: string
  exitCode: number | null
}

/** `aka ARGS` as a child we can write to and signal; `until` resolves once its stdout matches. */
function akaChild(args: string[], home: string) {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: home, AKKERIS_LOCAL_HOME: join(home, 'local'), NO_COLOR: '1'}
  for (const name of ['AKKERIS_API_HOST', 'API_TOKEN', 'API_AUTH', 'AKKERIS_APP', 'DEBUG', 'NODE_OPTIONS']) delete env[name]
  const child = spawn(process.execPath, [akaBin, ...args], {env, stdio: ['pipe', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  const waiters: {pattern: RegExp, resolve: () => void}[] = []
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    for (const waiter of waiters.filter(entry => entry.pattern.test(stdout))) waiter.resolve()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const finished = new Promise<Finished>(resolve => child.once('close', code => resolve({stdout, stderr, exitCode: code})))
  const until = (pattern: RegExp) => new Promise<void>(resolve => {
    if (pattern.test(stdout)) resolve()
    else waiters.push({pattern, resolve})
  })
  return {child, finished, until, output: () => stdout}
}

/** `aka ARGS` in this process, with HOME=home. */
async function akaHere(args: string[], home: string): Promise<Finished> {
  const {stdout, stderr, exitCode} = await runCommand(args, {env: {HOME: home, AKKERIS_LOCAL_HOME: join(home, 'local')}})
  return {stdout, stderr, exitCode}
}

async function waitFor<T>(what: string, check: () => Promise<T | false> | T | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await check()
    if (found !== false) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

describe('aka run: one-off dynos on the local platform', function () {
  this.timeout(120_000)
  let home: string
  const app = 'oneoff-default'
  const platformPid = () => (JSON.parse(readFileSync(join(home, 'local', 'platform.json'), 'utf8')) as {pid: number}).pid

  before(async () => {
    home = tempHome()
    const started = await akaHere(['local:start', '--detach', '--port', '0'], home)
    expect(started.exitCode, started.stderr).to.equal(0)
    const folder = join(home, 'app')
    mkdirSync(folder)
    writeFileSync(join(folder, 'package.json'), '{}\n')
    writeFileSync(join(folder, 'Procfile'), 'worker: node -e "setInterval(() => {}, 1000)"\n')
    expect((await akaHere(['apps:create', 'oneoff'], home)).exitCode).to.equal(0)
    const deployed = await akaHere(['local:deploy', folder, '-a', app], home)
    expect(deployed.exitCode, deployed.stderr).to.equal(0)
  })

  after(async () => {
    const pid = platformPid()
    await akaHere(['local:stop'], home)
    if (isAlive(pid)) process.kill(pid, 'SIGKILL')
    rmSync(home, {recursive: true, force: true})
  })

  // process.exit() would drop what node has not written yet: a dyno's stdout is a socket, written asynchronously.
  it('streams the output in order and exits with the command\'s exit code', async () => {
    const script = 'for (let i = 0; i < 2000; i++) console.log("line " + i); console.error("to stderr"); process.exitCode = 3'
    const run = await aka(['run', '-a', app, '--', 'node', '-e', script], home)
    expect(run.exitCode, run.stderr).to.equal(3)
    expect(run.stdout).to.equal(Array.from({length: 2000}, (_, i) => `line ${i}\n`).join(''))
    expect(run.stderr).to.equal('to stderr\n')
  })

  it('gives the dyno our stdin and its config vars plus those of -e', async () => {
    const {child, finished} = akaChild(['run', '-a', app, '-e', 'EXTRA=given', '--', 'sh', '-c', 'read first; cat; echo "$first/$EXTRA/$DYNO"'], home)
    child.stdin.end('hello\nrest of it\n')
    const run = await finished
    expect([run.exitCode, run.stdout], run.stderr).to.deep.equal([0, 'rest of it\nhello/given/run.' + /run\.(\d+)/.exec(run.stdout)?.[1] + '\n'])
  })

  it('sends Ctrl-C to the dyno as SIGINT, and exits 128 + N when a signal ends it', async () => {
    const trapping = akaChild(['run', '-a', app, 'trap "echo trapped; exit 7" INT; echo ready; while true; do sleep 0.1; done'], home)
    await trapping.until(/ready\n/)
    trapping.child.kill('SIGINT')
    const trapped = await trapping.finished
    expect([trapped.exitCode, trapped.stdout], trapped.stderr).to.deep.equal([7, 'ready\ntrapped\n'])

    const killed = await aka(['run', '-a', app, 'kill -TERM $$'], home)
    expect(killed.exitCode, killed.stderr).to.equal(143)
  })

  it('runs detached: its name at once, in aka ps while it runs, its output in aka logs, then gone', async () => {
    // It runs until the test lets it end, by creating a file.
    const done = join(home, 'done')
    const script = `echo detached-output; while [ ! -e ${done} ]; do sleep 0.05; done`
    const started = await akaHere(['run', '-a', app, '--detached', '--json', '--', 'sh', '-c', script], home)
    expect(started.exitCode, started.stderr).to.equal(0)
    const dyno = JSON.parse(started.stdout) as {type: string, name: string, command: string}
    expect(dyno.type).to.equal('run')
    const ps = await akaHere(['ps', '-a', app], home)
    // Its state and age vary; everything else is as shown.
    expect(ps.stdout.replaceAll(/ \(gp1\): \w+ \d+s: /g, ' (gp1): STATE AGE: ')).to.include(`=== run: one-off processes (1)\nrun.${dyno.name} (gp1): STATE AGE: sh -c '${script}'\n`)
    await waitFor('its output in the logs', async () => (await akaHere(['logs', '-a', app], home)).stdout.includes(`run.${dyno.name}`) || false)
    const logs = await akaHere(['logs', '-a', app], home)
    expect(logs.stdout.split('\n').filter(line => line.includes(`run.${dyno.name}`)).join('\n')).to.include('detached-output')
    writeFileSync(done, '')
    await waitFor('it to end', async () => !(await akaHere(['ps', '-a', app, '--json'], home)).stdout.includes('"type": "run"'), 30_000)
  })

  it('stops a one-off with ps:stop, and the attached aka run ends with its signal', async () => {
    const running = akaChild(['run', '-a', app, 'echo up; sleep 60'], home)
    await running.until(/up\n/)
    const listed = await akaHere(['ps', '-a', app, '--json'], home)
    const {name} = (JSON.parse(listed.stdout) as {type: string, name: string}[]).find(entry => entry.type === 'run') ?? {name: ''}
    const stopped = await akaHere(['ps:stop', `run.${name}`, '-a', app], home)
    expect([stopped.exitCode, stopped.stdout], stopped.stderr).to.deep.equal([0, `Stopping run.${name} of ${app}.\n`])
    const run = await running.finished
    expect(run.exitCode).to.equal(143)
  })

  it('refuses the run type for a formation (ps:scale, ps:create), before sending anything', async () => {
    const scaled = await akaHere(['ps:scale', 'run=1', '-a', app], home)
    expect([scaled.exitCode, scaled.stderr]).to.deep.equal([2, 'Error: The type run is reserved for one-off dynos (aka run); choose another name; a one-off dyno is run with `aka run`\n'])
  })

  it('leaves no one-off behind after kill -9 of the platform, once it starts again', async () => {
    const running = akaChild(['run', '-a', app, 'echo "pid $$"; exec sleep 600'], home)
    await running.until(/pid \d+\n/)
    const pid = Number(/pid (\d+)/.exec(running.output())?.[1])
    process.kill(platformPid(), 'SIGKILL')
    const lost = await running.finished
    expect(lost.exitCode).to.equal(1)
    expect(lost.stderr).to.match(/^Error: The connection to the one-off dyno was lost before it ended/)
    expect(isAlive(pid), 'the one-off outlives its platform until the next start').to.equal(true)
    const restarted = await akaHere(['local:start', '--detach', '--port', '0'], home)
    expect(restarted.exitCode, restarted.stderr).to.equal(0)
    await waitFor('the one-off to be gone', () => !isAlive(pid))
  })
})
