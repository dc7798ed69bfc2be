import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import {API_HOST, API_URL, blockNetwork} from '../helpers/api.js'
import {gp1} from '../helpers/fixtures.js'
import {runCommand} from '../helpers/run.js'

describe('which credentials aka sends', () => {
  blockNetwork()
  let home: string
  let env: Record<string, string>

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'aka-home-'))
    env = {HOME: home, AKKERIS_API_HOST: API_HOST, AKKERIS_AUTH_HOST: 'auth.akkeris.test'}
    writeFileSync(join(home, '.netrc'), `machine other.test login bob password other-token\nmachine ${API_HOST} login alice password netrc-token\n`, {mode: 0o600})
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  const sizesWith = async (authorization: string, extraEnv: Record<string, string> = {}) => {
    nock(API_URL, {reqheaders: {authorization}}).get('/sizes').reply(200, [gp1])
    const {exitCode, stderr} = await runCommand(['ps:sizes'], {env: {...env, ...extraEnv}})
    expect(stderr).to.equal('')
    expect(exitCode).to.equal(0)
  }

  it('sends the ~/.netrc password of the API host as a bearer token', async () => {
    await sizesWith('Bearer netrc-token')
  })

  it('prefers API_TOKEN, as a bearer token', async () => {
    await sizesWith('Bearer env-token', {API_TOKEN: 'env-token'})
  })

  it('prefers API_AUTH over both, sent verbatim', async () => {
    await sizesWith('shared-secret-key', {API_TOKEN: 'env-token', API_AUTH: 'shared-secret-key'})
  })

  it('sends no Authorization header at all when there is no token', async () => {
    writeFileSync(join(home, '.netrc'), 'machine other.test login bob password other-token\n')
    nock(API_URL, {badheaders: ['authorization']}).get('/sizes').reply(200, [gp1])
    const {exitCode} = await runCommand(['ps:sizes'], {env})
    expect(exitCode).to.equal(0)
  })

  it('sends the user agent, accepts JSON and gzip', async () => {
    nock(API_URL, {reqheaders: {'user-agent': /^aka\/\d+\.\d+\.\d+/, accept: 'application/json', 'accept-encoding': 'gzip'}}).get('/sizes').reply(200, [gp1])
    const {exitCode} = await runCommand(['ps:sizes'], {env})
    expect(exitCode).to.equal(0)
  })
})
