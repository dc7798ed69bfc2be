import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import {resolveEndpoint} from '../../src/config/hosts.js'
import {blockNetwork} from '../helpers/api.js'
import {gp1} from '../helpers/fixtures.js'
import {runCommand} from '../helpers/run.js'

describe('which Akkeris aka talks to', () => {
  blockNetwork()
  let home: string

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'aka-home-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  const writeProfile = (profile: object) => {
    mkdirSync(join(home, '.akkeris'), {recursive: true})
    writeFileSync(join(home, '.akkeris', 'config.json'), JSON.stringify(profile))
  }

  const writeLocalPlatform = (pid: number) => {
    const local = join(home, '.akkeris', 'local')
    mkdirSync(local, {recursive: true})
    writeFileSync(join(local, 'platform.json'), JSON.stringify({pid, port: 5999, url: 'http://127.0.0.1:5999', started_at: '2026-11-26T10:00:00Z'}))
    writeFileSync(join(local, 'token'), 'local-token-1\n')
  }

  it('uses both environment variables when both are set, over config.json', () => {
    writeProfile({auth: 'auth.config.test', apps: 'apps.config.test'})
    const endpoint = resolveEndpoint({HOME: home, AKKERIS_API_HOST: 'Apps.Env.Test ', AKKERIS_AUTH_HOST: 'auth.env.test'})
    expect(endpoint).to.deep.equal({apiUrl: 'https://apps.env.test', apiHost: 'apps.env.test', authHost: 'auth.env.test', source: 'env'})
  })

  it('reads config.json when only one variable is set, as aka 3.x did', () => {
    writeProfile({auth: 'auth.config.test', apps: 'apps.config.test'})
    expect(resolveEndpoint({HOME: home, AKKERIS_API_HOST: 'apps.env.test'})).to.deep.equal({
      apiUrl: 'https://apps.config.test', apiHost: 'apps.config.test', authHost: 'auth.config.test', source: 'config',
    })
    expect(resolveEndpoint({HOME: home, AKKERIS_AUTH_HOST: 'auth.env.test'}).apiHost).to.equal('apps.config.test')
  })

  it('speaks plain HTTP for an http:// host, keeping its port, or with AKKERIS_API_INSECURE', () => {
    writeProfile({auth: 'auth.config.test', apps: 'http://127.0.0.1:5001/'})
    expect(resolveEndpoint({HOME: home})).to.include({apiUrl: 'http://127.0.0.1:5001', apiHost: '127.0.0.1:5001'})
    writeProfile({auth: 'auth.config.test', apps: 'https://apps.config.test'})
    expect(resolveEndpoint({HOME: home}).apiUrl).to.equal('https://apps.config.test')
    expect(resolveEndpoint({HOME: home, AKKERIS_API_INSECURE: '1'}).apiUrl).to.equal('http://apps.config.test')
  })

  it('uses a running local platform when nothing else is configured', () => {
    writeLocalPlatform(process.pid)
    expect(resolveEndpoint({HOME: home})).to.deep.equal({apiUrl: 'http://127.0.0.1:5999', apiHost: '127.0.0.1:5999', source: 'local'})
  })

  it('sends the local platform its own token', async () => {
    writeLocalPlatform(process.pid)
    nock('http://127.0.0.1:5999', {reqheaders: {authorization: 'Bearer local-token-1'}}).get('/sizes').reply(200, [gp1])
    const {stdout, exitCode} = await runCommand(['ps:sizes'], {env: {HOME: home}})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('Size  Memory  CPU     Price\ngp1   256Mi   Shared  $10/mo\n')
  })

  it('ignores the record of a local platform that is no longer running', () => {
    const exited = spawnSync(process.execPath, ['-e', '0'])
    writeLocalPlatform(exited.pid)
    expect(() => resolveEndpoint({HOME: home})).to.throw('No Akkeris API is configured')
  })

  it('says in one line what to run when no API is configured, exit 1, nothing sent', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['ps:sizes'], {env: {HOME: home}})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: No Akkeris API is configured; run `aka local:start --detach` for the local platform, or `aka auth:profile` to use an Akkeris\n')
  })
})
