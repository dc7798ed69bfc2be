import {expect} from 'chai'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {DynoProcess, dynoEnv, freePort, type ProcessExit} from '../../../src/platform/runtime/dyno-process.js'
import {isAlive, waitFor} from './helpers.js'

describe('DynoProcess', () => {
  let dir: string
  let started: DynoProcess[]

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aka-dyno-process-'))
    started = []
  })

  afterEach(async () => {
    for (const dyno of started) dyno.signalGroup('SIGKILL')
    rmSync(dir, {recursive: true, force: true})
  })

  function run(command: string, record: (pgid: number) => void = () => {}) {
    const lines: string[] = []
    const exits: ProcessExit[] = []
    const dyno = new DynoProcess({
      command, cwd: dir, env: dynoEnv({GREETING: 'hi'}, 'worker.abc-12345', null, 3, {}), record,
      onLine: line => lines.push(line), onFault: () => {}, onExit: exit => exits.push(exit),
    })
    started.push(dyno)
    return {dyno, lines, exits}
  }

  it('runs the command only once its process group is recorded', async () => {
    const marker = join(dir, 'ran')
    let recorded: number | undefined
    const {dyno, exits} = run(`touch ${marker}`, pgid => {
      recorded = pgid
      // Long enough for an ungated shell to have run the command already.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300)
      expect(existsSync(marker)).to.equal(false)
    })
    expect(recorded).to.equal(dyno.pgid)
    await waitFor('the exit', () => exits.length === 1)
    expect(existsSync(marker)).to.equal(true)
    expect(exits).to.deep.equal([{code: 0, signal: null}])
  })

  it('runs in the slug directory with the config vars, DYNO and RELEASE_VERSION, and splits its output into lines', async () => {
    const {lines, exits} = run('pwd; echo "$GREETING $DYNO v$RELEASE_VERSION"; echo oops >&2; printf partial')
    await waitFor('the exit and its output', () => exits.length === 1 && lines.length === 4)
    expect(lines.slice().sort()).to.deep.equal([dir, 'hi worker.abc-12345 v3', 'oops', 'partial'].sort())
  })

  it('stops with SIGTERM, then SIGKILL after the grace period, the whole group', async () => {
    const {dyno, exits} = run('trap "" TERM; sleep 30 & sleep 30')
    await waitFor('the shell waiting', () => dyno.signalGroup(0))
    await dyno.stop(300)
    expect(exits).to.have.length(1)
    expect(isAlive(dyno.pgid ?? 0)).to.equal(false)
  })

  it('carries the mark after the platform\'s own variables, which a config var cannot hide', async () => {
    const env = dynoEnv({AKA_PLATFORM_ID: 'forged', DYNO: 'forged'}, 'web.abc-12345', 5000, 2, {AKA_PLATFORM_ID: 'p1', AKA_DYNO_ID: 'd1'})
    expect(env).to.include({AKA_PLATFORM_ID: 'p1', AKA_DYNO_ID: 'd1', DYNO: 'web.abc-12345', PORT: '5000', RELEASE_VERSION: '2'})
  })
})

describe('freePort', () => {
  it('reserves each port before it resolves: dynos starting at once never share one', async () => {
    const taken = new Set<number>()
    const ports = await Promise.all(Array.from({length: 8}, () => freePort('127.0.0.1', taken)))
    expect(new Set(ports).size).to.equal(8)
    expect([...taken].sort()).to.deep.equal([...ports].sort())
  })
})
