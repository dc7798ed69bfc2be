import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {App} from '../../src/api/types.js'
import {answer, CTRL_C} from '../helpers/answer.js'
import {api, apiEnv, blockNetwork} from '../helpers/api.js'
import {runningWeb, shopApp, webWithHealthcheck} from '../helpers/fixtures.js'
import {runCommand} from '../helpers/run.js'

const psOutput = [
  '=== web (gp2): npm start (2) (/health)',
  'Dyno                  State    Ready  Restarts  Release  Age',
  'web.6df6bc55c4-ldt45  running  yes    0         v7       5m',
  'web.6df6bc55c4-x9k2p  running  yes    0         v7       5m',
  '',
].join('\n')

function expectPs(app: string): void {
  api().get(`/apps/${app}/formation`).reply(200, [webWithHealthcheck])
    .get(`/apps/${app}/dynos`).reply(200, runningWeb)
    .get(`/apps/${app}`).reply(200, shopApp)
}

const app = (name: string) => ({name, id: `id-${name}`}) as App

describe('which app a command acts on', () => {
  blockNetwork()
  const startDir = process.cwd()
  let dir: string

  // Each test runs in a fresh folder, so the git step never sees this repository's config.
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aka-app-'))
    process.chdir(dir)
  })
  afterEach(() => {
    process.chdir(startDir)
    rmSync(dir, {recursive: true, force: true})
  })

  it('1. -a, over everything else, with no notice', async () => {
    expectPs('shop-prod')
    const {stdout, stderr} = await runCommand(['ps', '-a', 'shop-prod'], {env: {...apiEnv, AKKERIS_APP: 'other-prod'}})
    expect(stderr).to.equal('')
    expect(stdout).to.equal(psOutput)
  })

  it('2. AKKERIS_APP, said on stderr', async () => {
    expectPs('env-prod')
    const {stdout, stderr} = await runCommand(['ps'], {env: {...apiEnv, AKKERIS_APP: 'env-prod'}})
    expect(stderr).to.equal('Using ⬢ env-prod from $AKKERIS_APP\n')
    expect(stdout).to.equal(psOutput)
  })

  it('3. git config branch.<current branch>.akkeris, said on stderr', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.io', ...args], {cwd: dir, stdio: 'ignore'})
    git('init', '--quiet', '--initial-branch', 'feature')
    git('commit', '--quiet', '--allow-empty', '-m', 'start')
    git('config', 'branch.main.akkeris', 'wrong-prod')
    git('config', 'branch.feature.akkeris', 'git-prod')
    expectPs('git-prod')
    const {stdout, stderr} = await runCommand(['ps'], {env: apiEnv})
    expect(stderr).to.equal('Using ⬢ git-prod from git config branch.feature.akkeris\n')
    expect(stdout).to.equal(psOutput)
  })

  it('4. on a terminal, a pick from GET /apps', async () => {
    api().get('/apps').reply(200, [app('zoo-prod'), app('picked-prod')])
    expectPs('picked-prod')
    const {stdout, exitCode} = await runCommand(['ps'], {env: apiEnv, tty: true, interact: answer(['zoo-prod', 'picked'], ['picked-prod', ''])})
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(psOutput)
  })

  it('without a terminal, a usage error naming -a (exit 2), and nothing sent', async () => {
    const {stdout, stderr, exitCode} = await runCommand(['ps'], {env: apiEnv})
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal('Error: No app given: pass -a APP; or set AKKERIS_APP, or `git config branch.<branch>.akkeris APP`\n')
  })

  it('exits 130 when the pick is cancelled with Ctrl-C', async () => {
    api().get('/apps').reply(200, [app('zoo-prod')])
    const {stdout, stderr, exitCode} = await runCommand(['ps'], {env: apiEnv, tty: true, interact: answer(['zoo-prod', CTRL_C])})
    expect(exitCode).to.equal(130)
    expect(stdout).to.equal('')
    expect(stderr).to.match(/Error: Interrupted\n$/)
  })
})
