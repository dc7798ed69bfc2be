// `aka apps` and `aka apps:info`: the list of apps as a table, one app as labelled lines.
import type {App, Formation} from '../api/types.js'
import {palette} from './style.js'
import {renderTable} from './table.js'
import type {Terminal} from './terminal.js'

export function renderAppList(term: Terminal, apps: App[]): string {
  const rows = [...apps]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(app => [app.name, app.space?.name ?? '-', app.organization?.name ?? '-', app.web_url || '-'])
  return renderTable(term, ['App', 'Space', 'Org', 'Web URL'], rows)
}

/** `web=1:gp1 worker=0:gp1`: the formation in the grammar `aka ps:scale` takes, so it can be pasted back. */
function formationSummary(formations: Formation[]): string {
  return formations.map(formation => `${formation.type}=${formation.quantity}:${formation.size}`).join(' ')
}

/** The lines printed after an app is created: its name, and its URL once it has one. */
export function renderCreated(term: Terminal, app: App): string {
  const color = palette(term)
  const url = app.web_url ? `${app.web_url}\n` : ''
  return `Created ${color.magenta(`⬢ ${app.name}`)}\n${url}`
}

export function renderAppInfo(term: Terminal, app: App): string {
  const color = palette(term)
  const fields: Array<[string, string]> = [
    ['Space', app.space?.name ?? '-'],
    ['Org', app.organization?.name ?? '-'],
    ['Web URL', app.web_url || 'none (no web dyno type yet)'],
    ['Released at', app.released_at ?? 'never'],
    ['Formation', app.formation && app.formation.length > 0 ? formationSummary(app.formation) : 'none'],
  ]
  if (app.deployment) {
    const {state, reason} = app.deployment
    const shown = state === 'failed' ? color.bold.red(state) : state === 'succeeded' ? color.green(state) : color.yellow(state)
    fields.push(['Deployment', reason ? `${shown} (${reason})` : shown])
  }
  const width = Math.max(...fields.map(([label]) => label.length)) + 1
  const lines = fields.map(([label, value]) => `${color.blue(`${label}:`.padEnd(width))} ${value}`)
  return `${color.gray('===')} ${color.magenta(`⬢ ${app.name}`)}\n${lines.join('\n')}\n`
}
