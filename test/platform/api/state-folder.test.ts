import {expect} from 'chai'
import {chmodSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {startTestPlatform, tempHome} from './harness.js'

/** Every file the platform writes in its state folder holds or guards a secret (token, config vars): 0600. */
function fileModes(home: string): Record<string, number> {
  return Object.fromEntries(readdirSync(home).filter(name => statSync(join(home, name)).isFile()).map(name => [name, statSync(join(home, name)).mode & 0o777]))
}

describe('local platform: the state folder', () => {
  let root: string

  beforeEach(() => {
    root = tempHome()
  })

  afterEach(() => {
    rmSync(root, {recursive: true, force: true})
  })

  it('keeps the mode of a folder that exists (a shared 1777 folder stays 1777), with its own files 0600', async () => {
    const shared = join(root, 'shared')
    mkdirSync(shared)
    chmodSync(shared, 0o1777)
    const platform = await startTestPlatform(shared, {keepHome: true})
    try {
      await platform.request('POST', '/apps', {name: 'secret'})
      await platform.request('PATCH', '/apps/secret-default/config-vars', {DB_PASSWORD: 'hunter2'})
      expect(statSync(shared).mode & 0o7777).to.equal(0o1777)
      const modes = fileModes(shared)
      expect(Object.keys(modes)).to.include.members(['token', 'platform.db', 'platform.db-wal', 'platform.db-shm', 'platform.json', 'platform.pid', 'platform.lock'])
      for (const [name, mode] of Object.entries(modes)) expect(mode.toString(8), name).to.equal('600')
      expect(statSync(join(shared, 'slugs')).mode & 0o777).to.equal(0o700)
    } finally {
      await platform.close()
    }
    expect(statSync(shared).mode & 0o7777).to.equal(0o1777)
  })

  it('creates a folder that does not exist 0700, its missing parents too', async () => {
    const home = join(root, 'new', 'local')
    const platform = await startTestPlatform(home, {keepHome: true})
    try {
      expect(statSync(home).mode & 0o777).to.equal(0o700)
      expect(statSync(join(root, 'new')).mode & 0o777).to.equal(0o700)
    } finally {
      await platform.close()
    }
  })

  it('leaves an existing database 0600 even when it was made readable before', async () => {
    const first = await startTestPlatform(root, {keepHome: true})
    await first.close()
    chmodSync(join(root, 'platform.db'), 0o644)
    const second = await startTestPlatform(root, {keepHome: true})
    try {
      expect(statSync(join(root, 'platform.db')).mode & 0o777).to.equal(0o600)
    } finally {
      await second.close()
    }
  })
})
