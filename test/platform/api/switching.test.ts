// Switching between an Akkeris and the local platform: local:* always talk to the local platform,
// `aka auth:profile --local` makes it the default again, and our own auth commands work on it.
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir, userInfo} from 'node:os'
import {join} from 'node:path'

import {runCommand} from '../../helpers/run.js'
import {startTestPlatform, type TestPlatform} from './harness.js'

describe('aka between an Akkeris and the local platform', () => {
  let platform: TestPlatform
  let home: string
  let env: Record<string, string>

  beforeEach(async () => {
    platform = await startTestPlatform()
    home = mkdtempSync(join(tmpdir(), 'aka-home-'))
    mkdirSync(join(home, '.akkeris'))
    // An Akkeris chosen with auth:profile; its host does not resolve, so a request to it fails fast.
    writeFileSync(join(home, '.akkeris', 'config.json'), JSON.stringify({auth: 'auth.akkeris.invalid', apps: 'apps.akkeris.invalid', updates: '0'}))
    env = {HOME: home, AKKERIS_LOCAL_HOME: platform.home}
    await platform.request('POST', '/apps', {name: 'hello'})
  })

  afterEach(async () => {
    await platform.close()
    rmSync(home, {recursive: true, force: true})
  })

  const profile = () => JSON.parse(readFileSync(join(home, '.akkeris', 'config.json'), 'utf8')) as Record<string, string>

  it('local:status and local:deploy talk to the local platform whatever the profile and API_TOKEN say', async () => {
    const status = await runCommand(['local:status', '--json'], {env: {...env, API_TOKEN: 'a-token-of-that-akkeris'}})
    expect(status.exitCode, status.stderr).to.equal(0)
    expect(JSON.parse(status.stdout)).to.deep.include({running: true})
    const source = join(home, 'app')
    mkdirSync(source)
    writeFileSync(join(source, 'Procfile'), 'web: node web.js\n')
    const deployed = await runCommand(['local:deploy', source, '-a', 'hello-default', '--no-wait'], {env: {...env, API_TOKEN: 'a-token-of-that-akkeris'}})
    expect([deployed.exitCode, deployed.stderr, deployed.stdout]).to.deep.equal([0, '', 'Released v1 of hello-default.\n'])
  })

  it('auth:profile --local makes the local platform the default again, keeping the hosts; auth:profile goes back', async () => {
    const before = await runCommand(['apps', '--json'], {env})
    expect(before.exitCode).to.equal(1)
    expect(before.stderr).to.contain('apps.akkeris.invalid')

    const switched = await runCommand(['auth:profile', '--local'], {env})
    expect([switched.exitCode, switched.stderr]).to.deep.equal([0, 'aka now talks to the local platform (`aka auth:profile` switches back to an Akkeris).\n'])
    expect(profile()).to.deep.equal({auth: 'auth.akkeris.invalid', apps: 'apps.akkeris.invalid', updates: '0', platform: 'local'})
    const apps = await runCommand(['apps', '--json'], {env})
    expect(apps.exitCode, apps.stderr).to.equal(0)
    expect((JSON.parse(apps.stdout) as {name: string}[]).map(app => app.name)).to.deep.equal(['hello-default'])

    await runCommand(['auth:profile', '--auth-host', 'auth.example.io', '--api-host', 'apps.example.io'], {env})
    expect(profile()).to.deep.equal({auth: 'auth.example.io', apps: 'apps.example.io', updates: '0'})
  })

  it('auth:profile --local takes no host, and says when the local platform is not running', async () => {
    const both = await runCommand(['auth:profile', '--local', '--api-host', 'apps.example.io'], {env})
    expect([both.exitCode, both.stderr]).to.deep.equal([2, 'Error: --local takes no host; pass either --local or --auth-host and --api-host\n'])
    await runCommand(['auth:profile', '--local'], {env})
    const stopped = await runCommand(['apps'], {env: {...env, AKKERIS_LOCAL_HOME: join(home, 'nowhere')}})
    expect([stopped.exitCode, stopped.stderr]).to.deep.equal([1, 'Error: The local platform is not running; start it with `aka local:start --detach`\n'])
  })

  it('auth:whoami names the user running the local platform', async () => {
    await runCommand(['auth:profile', '--local'], {env})
    const whoami = await runCommand(['auth:whoami'], {env})
    expect([whoami.exitCode, whoami.stderr, whoami.stdout]).to.deep.equal([0, '', `${userInfo().username}\n`])
  })

  it('auth:token --netrc prints the entry aka 3.x looks up: the API host with its port', async () => {
    await runCommand(['auth:profile', '--local'], {env})
    const entry = await runCommand(['auth:token', '--netrc'], {env})
    const host = new URL(platform.platform.url).host
    expect(entry.stdout).to.equal(`machine ${host}\n  login ${userInfo().username}\n  password ${platform.platform.token}\n`)
    const raw = await runCommand(['auth:token', '--netrc'], {env: {...env, API_AUTH: 'shared secret'}})
    expect([raw.exitCode, raw.stdout]).to.deep.equal([2, ''])
  })
})
