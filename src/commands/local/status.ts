import {AkaCommand, jsonFlag} from '../../cli/base-command.js'
import type {Dyno} from '../../api/types.js'

interface AppStatus {
  name: string
  web_url: string | null
  /** By dyno type: how many dynos run and how many are ready. */
  dynos: Record<string, {total: number, ready: number}>
}

function countDynos(dynos: Dyno[]): AppStatus['dynos'] {
  const counts: AppStatus['dynos'] = {}
  for (const dyno of dynos) {
    counts[dyno.type] ??= {total: 0, ready: 0}
    counts[dyno.type].total++
    if (dyno.ready) counts[dyno.type].ready++
  }
  return counts
}

export default class LocalStatus extends AkaCommand {
  static override summary = 'Say whether the local Akkeris platform runs, where, and its apps and dynos'
  static override description = 'Exits 0 when it runs and 1 when it does not. It asks the local platform itself, whatever Akkeris the other commands use.'
  static override examples = [
    {description: 'Is it running?', command: '<%= config.bin %> local:status'},
    {description: 'For scripts', command: '<%= config.bin %> local:status --json'},
  ]

  static override localOnly = true
  static override flags = {json: jsonFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(LocalStatus)
    const {localHome, readLocalPlatform} = await import('../../config/local.js')
    const home = localHome(this.term.env)
    const record = readLocalPlatform(this.term.env)
    if (!record) {
      if (flags.json) {
        const {printJson} = await import('../../render/output.js')
        printJson(this.term, {running: false, home})
      } else {
        this.term.stdout.write(`The local platform is not running (state folder ${home}).\n`)
      }
      this.exit(1)
      return
    }
    const api = await this.api()
    const apps = await api.apps.list()
    const statuses: AppStatus[] = await Promise.all(apps.map(async app => ({
      name: app.name, web_url: app.web_url || null, dynos: countDynos(await api.dynos.list(app.name)),
    })))
    if (flags.json) {
      const {printJson} = await import('../../render/output.js')
      printJson(this.term, {running: true, url: record.url, pid: record.pid, started_at: record.started_at, home, apps: statuses})
      return
    }
    this.term.stdout.write(`The local platform runs at ${record.url} (pid ${record.pid}, since ${record.started_at}).\nState folder: ${home}\n`)
    if (statuses.length === 0) {
      this.term.stdout.write('No apps yet: create one with `aka apps:create NAME`.\n')
      return
    }
    const {renderTable} = await import('../../render/table.js')
    const rows = statuses.map(status => [
      status.name,
      status.web_url ?? '',
      Object.entries(status.dynos).map(([type, count]) => `${type} ${count.ready}/${count.total} ready`).join(', ') || 'none',
    ])
    this.term.stdout.write('\n' + renderTable(this.term, ['App', 'URL', 'Dynos'], rows))
  }
}
