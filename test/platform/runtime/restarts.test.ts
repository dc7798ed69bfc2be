// Rolling restart requests are desired state: rows of the store, not memory of the runtime.
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {dynoSpec} from '../../../src/platform/runtime/deployment.js'
import {Store} from '../../../src/platform/store/store.js'

describe('restart requests in the store', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aka-restarts-'))
  })

  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('survive a restart of the platform, and two in the same millisecond are two restarts', () => {
    const file = join(dir, 'platform.db')
    let store = new Store(file)
    const app = store.createApp('again', 'default', 'local')
    const formation = store.insertFormation(app.id, {type: 'web', command: 'node web.js', quantity: 1, size: 'gp1', port: 9000, healthcheck: null})
    store.insertRelease(app.id, {id: 'r1', slugDir: dir, description: '', defaultCommands: {}}, 'file://x')
    const hash = () => {
      const desired = store.desired(app.id)
      if (!desired) throw new Error('no app')
      return dynoSpec(desired, formation, desired.restarts.web).hash
    }
    const before = hash()
    store.requestRestart(app.id, ['web'])
    const first = hash()
    store.requestRestart(app.id, ['web'])
    const second = hash()
    expect(new Set([before, first, second]).size).to.equal(3)
    store.close()
    store = new Store(file)
    expect(hash()).to.equal(second)
    store.close()
  })
})
