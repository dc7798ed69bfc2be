// Builds from folders that are wrong or hostile (issue 9, defects 3, 6 and 10): the platform stays
// responsive, refuses with one line, leaves no slug behind, and keeps only the slugs it needs.
import {expect} from 'chai'
import {type ChildProcess, execFile, execFileSync, spawn} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import type {App, Dyno} from '../../../src/api/types.js'
import {SLUGS_DIR} from '../../../src/platform/platform.js'
import {expectError, startTestPlatform, type TestPlatform} from './harness.js'

const READ_ONLY_FIXTURE = fileURLToPath(new URL('../fixtures/read-only-slug.ts', import.meta.url))

describe('local platform API: builds from bad folders, slug cleanup and retention', function () {
  this.timeout(60_000)
  let platform: TestPlatform
  let app: App
  let cleanups: (() => void)[]

  beforeEach(async () => {
    cleanups = []
    platform = await startTestPlatform()
    app = (await platform.request('POST', '/apps', {name: 'shop'})).json<App>()
  })

  afterEach(async () => {
    for (const cleanup of cleanups) cleanup()
    await platform.close()
  })

  const slugsDir = () => join(platform.home, SLUGS_DIR)
  const slugs = () => readdirSync(slugsDir()).sort()
  const build = (dir: string) => platform.request('POST', '/apps/shop-default/builds', {url: pathToFileURL(dir).href})
  const releases = () => platform.platform.store.releases(app.id)

  function source(name: string, files: Record<string, string> = {}): string {
    const dir = join(platform.home, 'sources', name)
    mkdirSync(dir, {recursive: true})
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), {recursive: true})
      writeFileSync(join(dir, file), text)
    }
    return dir
  }

  function fifo(path: string): string {
    execFileSync('mkfifo', [path])
    return path
  }

  /** A refused build: the one-line answer, and nothing recorded or left in the slugs folder. */
  async function expectRefused(dir: string, message: string): Promise<void> {
    await expectError(platform, 'POST', '/apps/shop-default/builds', {url: pathToFileURL(dir).href}, 422, message)
    expect(releases()).to.deep.equal([])
    expect(slugs()).to.deep.equal([])
    expect((await platform.request('GET', '/apps/shop-default')).status).to.equal(200)
  }

  describe('a Procfile or package.json that is not a regular file of the folder (defect 3)', () => {
    it('refuses a Procfile that is a link to a FIFO outside the folder, without opening it', async () => {
      const dir = source('fifo-link')
      const pipe = fifo(join(platform.home, 'pipe'))
      symlinkSync(pipe, join(dir, 'Procfile'))
      // Were the build to open the FIFO, this writer would unblock it after 3 s (and the build would succeed).
      const writer: ChildProcess = spawn('sh', ['-c', 'sleep 3; echo "web: node web.js" > "$0"', pipe], {stdio: 'ignore', detached: true})
      cleanups.push(() => {
        if (writer.exitCode === null && writer.signalCode === null) process.kill(-(writer.pid as number), 'SIGKILL')
      })
      await expectRefused(dir, `The Procfile in ${dir} is a symbolic link that leads out of the folder; make it a regular file.`)
    })

    it('refuses a Procfile that is a link to /dev/zero, reading nothing', async () => {
      const dir = source('zero-link')
      symlinkSync('/dev/zero', join(dir, 'Procfile'))
      await expectRefused(dir, `The Procfile in ${dir} is a symbolic link that leads out of the folder; make it a regular file.`)
    })

    it('refuses a Procfile that is a FIFO, a directory, too large, or a link to nothing', async () => {
      const dir = source('fifo', {'web.js': ''})
      fifo(join(dir, 'Procfile'))
      await expectRefused(dir, `The Procfile in ${dir} is a FIFO; make it a regular file.`)
      const folder = source('folder', {'Procfile/web': 'web: node web.js\n'})
      await expectRefused(folder, `The Procfile in ${folder} is a directory; make it a regular file.`)
      const large = source('large', {Procfile: `web: node web.js\n${'#'.repeat(64 * 1024)}\n`})
      await expectRefused(large, `The Procfile in ${large} is larger than 64 KiB.`)
      const dangling = source('dangling')
      symlinkSync('missing', join(dangling, 'Procfile'))
      await expectRefused(dangling, `The Procfile in ${dangling} is a symbolic link to nothing in the folder; make it a regular file.`)
    })

    it('refuses a package.json that leads out of the folder or is too large, when there is no Procfile', async () => {
      const dir = source('manifest-link')
      symlinkSync('/dev/zero', join(dir, 'package.json'))
      await expectRefused(dir, `The package.json in ${dir} is a symbolic link that leads out of the folder; make it a regular file.`)
      const large = source('manifest-large', {'package.json': JSON.stringify({scripts: {start: 'node web.js'}, padding: 'x'.repeat(1024 * 1024)})})
      await expectRefused(large, `The package.json in ${large} is larger than 1 MiB.`)
    })

    it('follows a Procfile link that stays in the folder', async () => {
      const dir = source('inner-link', {'config/Procfile.local': 'web: node web.js\nworker: node worker.js\n'})
      symlinkSync('config/Procfile.local', join(dir, 'Procfile'))
      expect((await build(dir)).status).to.equal(201)
      expect(releases()[0].defaultCommands).to.deep.equal({web: 'node web.js', worker: 'node worker.js'})
    })

    it('copies links as links and leaves out FIFOs and sockets with a note, without blocking', async () => {
      const dir = source('specials', {Procfile: 'web: node web.js\n', 'lib/a.js': 'a'})
      fifo(join(dir, 'lib', 'pipe'))
      const socket: Server = createServer()
      await new Promise<void>(resolve => socket.listen(join(dir, 'lib', 'sock'), resolve))
      cleanups.push(() => socket.close())
      symlinkSync('/dev/zero', join(dir, 'zero'))
      symlinkSync('lib/a.js', join(dir, 'a.js'))
      const reply = await build(dir)
      expect(reply.status, reply.text).to.equal(201)
      const slug = releases()[0].slugDir
      expect(readdirSync(join(slug, 'lib')).sort()).to.deep.equal(['a.js'])
      expect(statSync(join(slug, 'a.js')).isFile()).to.equal(true)
      expect(execFileSync('readlink', [join(slug, 'zero')], {encoding: 'utf8'})).to.equal('/dev/zero\n')
      expect(platform.logs.some(line => line.includes('left out 2 special files') && line.includes('lib/pipe (FIFO)') && line.includes('lib/sock (socket)'))).to.equal(true)
    })

    it('refuses a folder nested deeper than a path can be, on one line and leaving nothing', async () => {
      const dir = source('deep', {Procfile: 'web: node web.js\n'})
      cleanups.push(() => execFileSync('rm', ['-rf', dir]))
      // 25 levels of a 200-character name: longer than PATH_MAX (4096) in the slug, made one level
      // at a time (each name within NAME_MAX, 255).
      execFileSync(process.execPath, ['-e', 'for (let i = 0; i < 25; i++) { fs.mkdirSync("d".repeat(200)); process.chdir("d".repeat(200)) }'], {cwd: dir})
      await expectRefused(dir, `The directory ${dir} could not be copied: a path in it is too long for this machine (ENAMETOOLONG); deploy a shallower folder.`)
    })

    it('refuses a folder that holds the state folder', async () => {
      await expectError(platform, 'POST', '/apps/shop-default/builds', {url: pathToFileURL(platform.home).href}, 422,
        `The directory ${platform.home} holds the local platform's state folder; deploy a folder outside it.`)
      expect(slugs()).to.deep.equal([])
    })
  })

  describe('slugs (defect 6)', () => {
    it('shares the slug of an unchanged folder, and hard-links the unchanged files of a changed one', async () => {
      const dir = source('app', {Procfile: 'web: node web.js\n', 'web.js': 'one', 'node_modules/dep/index.js': 'dep'})
      const [first, second] = await Promise.all([build(dir), build(dir)])
      expect([first.status, second.status]).to.deep.equal([201, 201])
      const [v1, v2] = releases()
      expect(v2.slugDir).to.equal(v1.slugDir)
      expect(slugs()).to.have.length(1)
      writeFileSync(join(dir, 'web.js'), 'two')
      expect((await build(dir)).status).to.equal(201)
      const v3 = releases()[2]
      expect(v3.slugDir).to.not.equal(v1.slugDir)
      const inode = (slug: string, file: string) => statSync(join(slug, file)).ino
      expect(inode(v3.slugDir, 'node_modules/dep/index.js')).to.equal(inode(v1.slugDir, 'node_modules/dep/index.js'))
      expect(inode(v3.slugDir, 'web.js')).to.not.equal(inode(v1.slugDir, 'web.js'))
      // Nothing may write into a file two slugs share.
      for (const file of ['web.js', 'node_modules/dep/index.js', 'Procfile']) expect(statSync(join(v3.slugDir, file)).mode & 0o222, file).to.equal(0)
    })

    it('keeps the last 10 releases\' slugs, and older ones a recorded definition or a dyno still uses', async () => {
      const dir = source('retained', {Procfile: 'web: node web.js\n'})
      const deploy = async (version: number) => {
        writeFileSync(join(dir, 'web.js'), `v${version}`)
        expect((await build(dir)).status).to.equal(201)
      }
      await deploy(1)
      await deploy(2)
      const [v1, v2] = releases()
      const store = platform.platform.store
      const definition = (release: typeof v1, hash: string) => ({type: 'web', hash, formationCommand: null, command: 'node web.js', cwd: release.slugDir,
        config: {}, size: 'gp2', healthcheck: null, release: {id: release.id, version: release.version}})
      const at = new Date().toISOString()
      store.recordDeployment({id: 'aaaaaaaaaa', appId: app.id, type: 'web', state: 'succeeded', reason: null, created_at: at, updated_at: at, definition: definition(v1, 'aaaaaaaaaa')})
      platform.runtime.dynoLists.set(app.id, [{release: {id: v2.id, version: 2}, type: 'web', name: 'bbbbbbbbbb-abcde'} as Dyno])
      for (let version = 3; version <= 12; version++) await deploy(version)
      const dirs = (from: number, to: number) => releases().slice(from - 1, to).map(release => release.slugDir.split('/').pop()).sort()
      expect(slugs()).to.deep.equal(dirs(1, 12))
      // The dyno is gone and a later deployment succeeded: v1 and v2 are no longer in use.
      platform.runtime.dynoLists.delete(app.id)
      const later = new Date(Date.now() + 1000).toISOString()
      store.recordDeployment({id: 'cccccccccc', appId: app.id, type: 'web', state: 'succeeded', reason: null, created_at: later, updated_at: later, definition: definition(releases()[11], 'cccccccccc')})
      await deploy(13)
      expect(slugs()).to.deep.equal(dirs(4, 13))
    })

    it('destroys an app whose slug has read-only folders, as a user that modes apply to', async () => {
      // root ignores modes: the fixture then runs as nobody.
      const user = process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : {}
      const {stdout} = await promisify(execFile)(process.execPath, ['--import', 'tsx', READ_ONLY_FIXTURE], {encoding: 'utf8', timeout: 30_000, ...user})
      expect(JSON.parse(stdout)).to.deep.equal({built: 201, destroyed: 200, text: '', slugs: []})
    })

    it('removes at start the copies of interrupted builds and slugs no release keeps, whatever their modes', async () => {
      const dir = source('kept', {Procfile: 'web: node web.js\n'})
      expect((await build(dir)).status).to.equal(201)
      const kept = releases()[0].slugDir
      const partial = join(slugsDir(), '0b7f9a7e-3c51-4a35-9b0e-2f8f0c2f4b1a.partial')
      const orphan = join(slugsDir(), '5d7c2c43-8f0e-4a0e-a7f4-0d5b9c1e6a55')
      for (const folder of [partial, orphan]) {
        mkdirSync(join(folder, 'locked'), {recursive: true})
        writeFileSync(join(folder, 'locked', 'file'), 'x')
        chmodSync(join(folder, 'locked'), 0o555)
      }
      await platform.platform.stop()
      const home = platform.home
      platform = await startTestPlatform(home)
      expect(slugs()).to.deep.equal([kept.split('/').pop()])
      expect(platform.logs.some(line => line.startsWith('removed 2 unused or partial slugs'))).to.equal(true)
    })
  })

  describe('an app destroyed during its build (defect 10)', () => {
    it('answers 409 and leaves no slug behind', async () => {
      const dir = source('big', {Procfile: 'web: node web.js\n'})
      for (let folder = 0; folder < 10; folder++) {
        mkdirSync(join(dir, 'node_modules', `p${folder}`), {recursive: true})
        for (let file = 0; file < 100; file++) writeFileSync(join(dir, 'node_modules', `p${folder}`, `f${file}.js`), 'x'.repeat(2048))
      }
      const building = build(dir)
      // Destroy once the copy has begun.
      for (let wait = 0; !slugs().some(name => name.endsWith('.partial')) && wait < 2000; wait++) await new Promise(resolve => setTimeout(resolve, 2))
      expect(slugs().some(name => name.endsWith('.partial'))).to.equal(true)
      expect((await platform.request('DELETE', '/apps/shop-default')).status).to.equal(200)
      const reply = await building
      expect({status: reply.status, text: reply.text}).to.deep.equal({status: 409, text: 'The application shop-default was destroyed during its build; nothing was released.'})
      expect(slugs()).to.deep.equal([])
      expect(existsSync(join(platform.home, 'platform.db'))).to.equal(true)
    })
  })
})
