import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {API_HOST, blockNetwork} from '../../helpers/api.js'
import {runCommand} from '../../helpers/run.js'

describe('aka auth:logout', () => {
  blockNetwork()
  let home: string
  const env = () => ({HOME: home, AKKERIS_API_HOST: API_HOST, AKKERIS_AUTH_HOST: 'auth.akkeris.test'})
  const netrc = () => readFileSync(join(home, '.netrc'), 'utf8')
  const others = '# keep me\nmachine github.com\n  login alice\n  password ghp_keep\n'

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'aka-home-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  it('removes the entry of the API host and nothing else', async () => {
    writeFileSync(join(home, '.netrc'), `${others}machine ${API_HOST}\n  login alice\n  password tok-secret\nmachine z.test login z password z\n`)
    const {stdout, stderr, exitCode} = await runCommand(['auth:logout'], {env: env()})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(`Logged out of ${API_HOST}.\n`)
    expect(netrc()).to.equal(`${others}machine z.test login z password z\n`)
  })

  it('says there was nothing to remove, exit 0', async () => {
    writeFileSync(join(home, '.netrc'), others)
    const {stderr, exitCode} = await runCommand(['logout'], {env: env()})
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal(`Not logged in to ${API_HOST}: nothing to remove.\n`)
    expect(netrc()).to.equal(others)
  })
})
