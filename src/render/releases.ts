// `aka releases` and `aka releases:info`: the history as a table, one release as labelled lines,
// and what to do after a release whose deployment failed.
import {fileURLToPath} from 'node:url'

import type {Build, Release} from '../api/types.js'
import {age} from '../domain/dyno-state.js'
import {palette} from './style.js'
import {renderTable} from './table.js'
import type {Terminal} from './terminal.js'

/** The status in words: `current` for the release that serves, `deploying` for one in progress. */
function statusLabel(release: Release): string {
  if (release.current) return 'current'
  if (release.status === 'pending') return 'deploying'
  if (release.status === 'unknown' && release.deployments?.some(deployment => deployment.state === 'superseded')) return 'superseded'
  return release.status
}

/** Who or what made the release's build: an author and commit on Akkeris, the deployed folder on the local platform. */
function buildSource(build: Build | undefined): string {
  const blob = build?.source_blob
  if (!blob) return '-'
  const who = [blob.author ?? '', blob.commit.slice(0, 7)].filter(Boolean).join(' ')
  if (who) return who
  if (blob.repo?.startsWith('file://')) return fileURLToPath(blob.repo)
  return blob.repo || '-'
}

/** Each failed type with its reason: `web: web.abc-12345 crashed (exit code 1)`. */
function failures(release: Release): string {
  const failed = (release.deployments ?? []).filter(deployment => deployment.state === 'failed')
  return failed.map(deployment => `${deployment.type}: ${deployment.reason ?? 'no reason given'}`).join('; ')
}

/** The way back after a latest release that failed, or nothing. */
export function failedReleaseHint(term: Terminal, app: string, latest: Release | undefined, previous: Release | undefined): string {
  if (latest?.status !== 'failed') return ''
  const color = palette(term)
  const why = failures(latest)
  const back = previous ? ` \`aka releases:rollback -a ${app}\` returns to v${previous.version}.` : ''
  return `${color.bold.yellow('⚠')}  v${latest.version} failed${why ? `: ${why}` : ''}. \`aka logs -s platform -a ${app}\` shows what happened.${back}\n`
}

export function renderReleases(term: Terminal, releases: Release[], builds: Build[], now: number): string {
  const color = palette(term)
  const shown = (release: Release) => {
    const label = statusLabel(release)
    if (label === 'current') return color.green(label)
    if (label === 'failed') return color.bold.red(label)
    return label === 'deploying' ? color.yellow(label) : label
  }
  const rows = releases.map(release => [
    `v${release.version}`,
    shown(release),
    release.description,
    buildSource(builds.find(build => build.id === release.slug?.id)),
    age(release.created_at, now),
  ])
  return renderTable(term, ['Version', 'Status', 'Description', 'Source', 'Age'], rows)
}

export function renderReleaseInfo(term: Terminal, app: string, release: Release, now: number): string {
  const color = palette(term)
  const fields: Array<[string, string]> = [
    ['Status', statusLabel(release) === 'current' ? `${release.status} (current)` : statusLabel(release)],
    ['Description', release.description],
    ['Created', `${release.created_at} (${age(release.created_at, now)} ago)`],
    ['Id', release.id],
    ['Build', release.slug?.id ?? '-'],
  ]
  if (release.process_types) {
    const types = Object.entries(release.process_types)
    fields.push(['Process types', types.length > 0 ? types.map(([type, command]) => `${type}: ${command}`).join('; ') : 'none (nothing to run)'])
  }
  for (const deployment of release.deployments ?? []) {
    const state = deployment.state === 'failed' ? color.bold.red(deployment.state) : deployment.state === 'succeeded' ? color.green(deployment.state) : deployment.state
    fields.push([`Deployment ${deployment.type}`, deployment.reason ? `${state} (${deployment.reason})` : state])
  }
  const width = Math.max(...fields.map(([label]) => label.length)) + 1
  const lines = fields.map(([label, value]) => `${color.blue(`${label}:`.padEnd(width))} ${value}`)
  return `${color.gray('===')} ${color.magenta(`⬢ ${app}`)} v${release.version}\n${lines.join('\n')}\n`
}
