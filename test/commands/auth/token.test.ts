import {expect} from 'chai'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {API_HOST, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'

describe('aka auth:token', () => {
  blockNetwork()
  let home: string
  let env: Record<string, string>

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'aka-home-'))
    env = {HOME: home, AKKERIS_API_HOST: API_HOST, AKKERIS_AUTH_HOST: 'auth.akkeris.test'}
    writeFileSync(join(home, '.netrc'), `machine other.test password other\nmachine ${API_HOST} login alice password netrc-token\n`)
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  it('prints the ~/.netrc token of the API host', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['auth:token'], {env})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.equal('netrc-token\n')
  })

  it('prints API_TOKEN over ~/.netrc, and API_AUTH verbatim over both (hidden alias token)', async () => {
    expect((await runCommand(['token'], {env: {...env, API_TOKEN: 'env-token'}})).stdout).to.equal('env-token\n')
    expect((await runCommand(['token'], {env: {...env, API_TOKEN: 'env-token', API_AUTH: 'raw key'}})).stdout).to.equal('raw key\n')
  })

  it("prints the local platform's token when that is the API in use", async () => {
    const local = join(home, '.akkeris', 'local')
    mkdirSync(local, {recursive: true})
    writeFileSync(join(local, 'platform.json'), JSON.stringify({pid: process.pid, port: 5999, url: 'http://127.0.0.1:5999', started_at: '2026-11-26T10:00:00Z'}))
    writeFileSync(join(local, 'token'), 'local-token\n')
    const {stdout} = await runCommand(['auth:token'], {env: {HOME: home}})
    expect(stdout).to.equal('local-token\n')
  })

  it('says No token with a hint, exit 1', async () => {
    writeFileSync(join(home, '.netrc'), 'machine other.test password other\n')
    const {stdout, stderr, exitCode} = await runCommand(['auth:token'], {env})
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(`Error: No token; run \`aka auth:login\` to store one for ${API_HOST}, or set API_TOKEN\n`)
  })
})
