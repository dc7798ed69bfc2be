import Database from 'better-sqlite3'
import {expect} from 'chai'
import {randomUUID} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {PlatformStore, ProcessRecord} from '../../src/platform/contract.js'
import {platformLog} from '../../src/platform/platform-log.js'
import {createRuntime} from '../../src/platform/runtime/runtime.js'
import {guardRuntimeStore, storageFault} from '../../src/platform/store/storage-fault.js'
import {Store} from '../../src/platform/store/store.js'
import {expectError, startTestPlatform} from './api/harness.js'
import {FAST_TIMING, FIXTURE_APP, HOST, isAlive, settled, waitFor} from './runtime/helpers.js'

const HOME = '/state'
const full = () => new Database.SqliteError('database or disk is full', 'SQLITE_FULL')
const fsError = (code: string, path?: string) => Object.assign(new Error(`${code}: failed`), {code, ...(path ? {path} : {})})
const FULL = `The local platform cannot write to its state folder ${HOME}: the disk is full (SQLITE_FULL). Free some space there, then try again; reads and running dynos go on`

describe('storage faults: which errors, and what they say', () => {
  it('names the state folder and the code, in one line', () => {
    expect(storageFault(full(), HOME)).to.equal(FULL)
    expect(storageFault(new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE'), HOME)).to.equal(
      `The local platform cannot write to its state folder ${HOME}: the disk failed to read or write (SQLITE_IOERR_WRITE). Check the disk, then try again; reads and running dynos go on`)
    expect(storageFault(new Database.SqliteError('attempt to write a readonly database', 'SQLITE_READONLY'), HOME)).to.match(/: its database cannot be written \(SQLITE_READONLY\)\. /)
    expect(storageFault(fsError('ENOSPC'), HOME)).to.match(/: the disk is full \(ENOSPC\)\. Free some space there, /)
    expect(storageFault(fsError('EDQUOT', '/elsewhere/x'), HOME)).to.match(/: the disk quota is exceeded \(EDQUOT\)\. /)
    expect(storageFault(fsError('EACCES', `${HOME}/slugs/x`), HOME)).to.match(/: permission denied \(EACCES\)\. Check its permissions, /)
    expect(storageFault(fsError('EROFS', `${HOME}/platform.json`), HOME)).to.match(/: the file system is read-only \(EROFS\)\. Make it writable, /)
  })

  it('leaves every other error alone, and a permission fault outside the state folder (a folder being deployed)', () => {
    expect(storageFault(fsError('EACCES', '/home/me/app/Procfile'), HOME)).to.equal(undefined)
    expect(storageFault(fsError('EACCES', '/statefolder-next-door/x'), HOME)).to.equal(undefined)
    expect(storageFault(fsError('EROFS'), HOME)).to.equal(undefined)
    expect(storageFault(fsError('ENOENT', `${HOME}/x`), HOME)).to.equal(undefined)
    expect(storageFault(new Database.SqliteError('FOREIGN KEY constraint failed', 'SQLITE_CONSTRAINT_FOREIGNKEY'), HOME)).to.equal(undefined)
    expect(storageFault(new Database.SqliteError('database is locked', 'SQLITE_BUSY'), HOME)).to.equal(undefined)
    expect(storageFault(new TypeError('x'), HOME)).to.equal(undefined)
    expect(storageFault('ENOSPC', HOME)).to.equal(undefined)
  })
})

describe('storage faults: the runtime\'s store', () => {
  const record: ProcessRecord = {appId: 'a', dyno: 'worker.x', pgid: 1, started_at: ''}

  /** A store whose every write fails as a full disk does, until `fixed`. */
  function fullStore(): {store: PlatformStore, fix: () => void} {
    let broken = true
    const write = () => {
      if (broken) throw full()
    }
    const store = {recordDeployment: write, forgetProcess: write, setRouterPort: write, recordProcess: write, processes: () => [record]} as unknown as PlatformStore
    return {store, fix: () => { broken = false }}
  }

  it('logs a failed bookkeeping write once until writes work again, and never throws it', () => {
    const {store, fix} = fullStore()
    const lines: string[] = []
    const guarded = guardRuntimeStore(store, HOME, line => lines.push(line))
    guarded.forgetProcess(1)
    guarded.setRouterPort('a', 5001)
    guarded.recordDeployment({id: 'd', appId: 'a', type: 'web', state: 'failed', reason: null, created_at: '', updated_at: ''})
    expect(lines).to.deep.equal([`forgetProcess not written: ${FULL}`])
    expect(guarded.processes()).to.deep.equal([record])
    fix()
    guarded.forgetProcess(1)
    expect(lines.slice(1)).to.deep.equal([`the state folder ${HOME} takes writes again`])
  })

  it('still throws from recordProcess, with the one-line message, so that a dyno never runs unrecorded', () => {
    const guarded = guardRuntimeStore(fullStore().store, HOME, () => {})
    expect(() => guarded.recordProcess(record)).to.throw(FULL)
  })

  it('rethrows what is not a storage fault', () => {
    const store = {forgetProcess: () => { throw new TypeError('a defect') }} as unknown as PlatformStore
    expect(() => guardRuntimeStore(store, HOME, () => {}).forgetProcess(1)).to.throw(TypeError, 'a defect')
  })

  describe('on real processes', function () {
    this.timeout(60_000)
    let dir: string
    let store: Store
    let stop = async () => {}

    afterEach(async () => {
      await stop()
      for (const left of store.processes().filter(process => isAlive(process.pgid))) process.kill(-left.pgid, 'SIGKILL')
      store.close()
      rmSync(dir, {recursive: true, force: true})
    })

    it('keeps supervising when the record of an exited dyno cannot be removed: the crash is restarted', async () => {
      dir = mkdtempSync(join(tmpdir(), 'aka-fault-'))
      store = new Store(join(dir, 'platform.db'))
      const app = store.createApp('full', 'default', 'local')
      store.insertFormation(app.id, {type: 'worker', command: 'node worker.js', quantity: 1, size: 'gp1', port: null, healthcheck: null})
      store.insertRelease(app.id, {id: randomUUID(), slugDir: FIXTURE_APP, description: 'fixture', defaultCommands: {}}, `file://${FIXTURE_APP}`)
      const events: string[] = []
      const runtime = createRuntime(guardRuntimeStore(store, dir, line => events.push(line)), {log: line => events.push(line), host: HOST, platformId: randomUUID(), stopGraceMs: 2000, timing: FAST_TIMING})
      stop = () => runtime.stop()
      const [worker] = await waitFor('the worker running', () => settled(runtime.dynos(app.id), 1))
      store.forgetProcess = () => {
        throw full()
      }
      const [running] = store.processes()
      process.kill(-running.pgid, 'SIGKILL')
      const [restarted] = await waitFor('the worker restarted', () => {
        const dynos = settled(runtime.dynos(app.id), 1)
        return dynos && dynos[0].restarts === 1 && dynos
      })
      expect(restarted.name).to.equal(worker.name)
      expect(events).to.include(`forgetProcess not written: The local platform cannot write to its state folder ${dir}: the disk is full (SQLITE_FULL). Free some space there, then try again; reads and running dynos go on`)
    })
  })
})

describe('storage faults: the API', () => {
  it('answers a write on a full disk with 507 and the one-line message, and goes on serving reads', async () => {
    const platform = await startTestPlatform()
    try {
      await platform.request('POST', '/apps', {name: 'full'})
      const {store} = platform.platform
      store.patchConfig = () => {
        throw full()
      }
      store.createApp = () => {
        throw full()
      }
      const message = FULL.replace(HOME, platform.home)
      await expectError(platform, 'PATCH', '/apps/full-default/config-vars', {A: '1'}, 507, message)
      await expectError(platform, 'POST', '/apps', {name: 'other'}, 507, message)
      expect((await platform.request('GET', '/apps/full-default/config-vars')).status).to.equal(200)
      expect((await platform.request('GET', '/apps')).json<unknown[]>()).to.have.length(1)
      expect(platform.logs).to.include(`error: ${message}`)
    } finally {
      await platform.close()
    }
  })
})

describe('the platform\'s own log', () => {
  const now = () => new Date('2026-01-01T00:00:00.000Z')

  it('drops and counts the lines it cannot write, never throws, and says how many were lost once it can write again', () => {
    const written: string[] = []
    let room = 61
    const write = (_fd: number, data: Buffer) => {
      if (room === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})
      const taken = Math.min(room, data.length)
      if (room !== Number.POSITIVE_INFINITY) room -= taken
      written.push(data.subarray(0, taken).toString())
      return taken
    }
    const log = platformLog({write, now})
    log('first')
    log('this one is cut in the middle')
    log('lost')
    room = Number.POSITIVE_INFINITY
    log('back')
    expect(written.join('')).to.equal([
      '2026-01-01T00:00:00.000Z first',
      '2026-01-01T00:00:00.000Z this ',
      '2026-01-01T00:00:00.000Z (2 lines of this log lost: ENOSPC)',
      '2026-01-01T00:00:00.000Z back',
      '',
    ].join('\n'))
  })

  it('survives a closed pipe (EPIPE) on every line', () => {
    const log = platformLog({now, write: () => {
      throw Object.assign(new Error('EPIPE'), {code: 'EPIPE'})
    }})
    for (let line = 0; line < 1000; line++) log(`line ${line}`)
  })
})
