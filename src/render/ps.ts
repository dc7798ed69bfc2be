// `aka ps`: per dyno type the old header, then a table of its dynos and a warning when counts differ;
// last, a warning when the app's last deployment failed.
import type {DeploymentStatus, Dyno, Formation, ScheduledRun} from '../api/types.js'
import {age, displayState, type StateKind} from '../domain/dyno-state.js'
import {ONEOFF_TYPE} from '../domain/formation-rules.js'
import {palette} from './style.js'
import {renderTable} from './table.js'
import type {Terminal} from './terminal.js'

/** `1234` → `1,234`, as toLocaleString('en-US') writes a whole number, without its ~15 ms first call (ICU). */
function thousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * `deployment` is the app's last one where the platform reports it (the local platform; real
 * Akkeris apps have none): a failed one is named after the formations it concerns.
 */
export function renderFormation(term: Terminal, app: string, formations: Formation[], dynos: Dyno[], now: number, deployment?: DeploymentStatus | null): string {
  const oneOffs = dynos.filter(dyno => dyno.type === ONEOFF_TYPE)
  if (formations.length === 0 && oneOffs.length === 0) return `No dynos on ${app}.\n`
  const color = palette(term)
  const stateColor: Record<StateKind, (text: string) => string> = {
    up: color.green,
    pending: color.yellow,
    crashed: color.bold.red,
    unhealthy: color.bold.yellowBright,
  }
  const sections = formations.map(formation => {
    const ofType = dynos.filter(dyno => dyno.type === formation.type)
    // The local platform names the release's (Procfile) command; a controller's image has its own.
    const command = formation.command ?? formation.release_command ?? '(from docker)'
    const healthcheck = formation.type === 'web' && formation.healthcheck ? ` (${color.gray(formation.healthcheck)})` : ''
    const schedule = formation.schedule ? ` on schedule ${color.cyan(`"${formation.schedule}"`)} (${formation.timezone ?? 'UTC'})` : ''
    let text = `${color.gray('===')} ${color.green(formation.type)} (${color.magenta(formation.size)}): ${command} (${color.bold.yellow(String(formation.quantity))})${healthcheck}${schedule}\n`
    if (formation.schedule) text += scheduleLines(formation, now)
    if (ofType.length > 0) {
      const states = ofType.map(dyno => displayState(dyno, now))
      const withNotes = states.some(state => state.note)
      const rows = ofType.map((dyno, index) => {
        const state = states[index]
        const row = [
          `${dyno.type}.${dyno.name}`,
          stateColor[state.kind](state.label),
          dyno.ready ? 'yes' : 'no',
          thousands(dyno.restarts),
          dyno.release?.version === null || dyno.release?.version === undefined ? '-' : `v${dyno.release.version}`,
          age(dyno.updated_at, now),
        ]
        if (withNotes) row.push(state.note ?? '')
        return row
      })
      const head = ['Dyno', 'State', 'Ready', 'Restarts', 'Release', 'Age']
      if (withNotes) head.push('Info')
      text += renderTable(term, head, rows)
    }
    if (ofType.length !== formation.quantity && !formation.schedule) {
      const requested = formation.quantity === 1 ? 'has' : 'have'
      text += `${color.bold.yellow('⚠')}  ${formation.type} dyno type has ${ofType.length} dyno${ofType.length === 1 ? '' : 's'}, but ${formation.quantity} ${requested} been requested.\n`
      text += `${color.bold.yellow('⚠')}  It may be scaling, crashing, restarting or deploying.\n`
    }
    return text
  })
  if (oneOffs.length > 0) sections.push(renderOneOffs(term, oneOffs, now))
  const failed = deployment?.state === 'failed' && (deployment.type === undefined || formations.some(formation => formation.type === deployment.type))
  if (failed) sections.push(failedDeploymentWarning(term, app, deployment, dynos))
  return sections.join('\n')
}

/** A scheduled type's last run (how it ended) and next run. */
function scheduleLines(formation: Formation, now: number): string {
  const run = formation.last_run
  const last = run ? `${run.dyno} at ${clockTime(run.started_at)}, ${runOutcome(run, now)}` : 'none yet'
  const next = formation.quantity === 0
    ? `none: paused (quantity 0); \`aka ps:scale ${formation.type}=1\` resumes it`
    : formation.next_run_at ? `${clockTime(formation.next_run_at)} (in ${age(new Date(now).toISOString(), Date.parse(formation.next_run_at))})` : 'not yet known'
  return `    Last run: ${last}\n    Next run: ${next}\n`
}

/** `2026-12-02 10:01:00Z` */
function clockTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}

function runOutcome(run: ScheduledRun, now: number): string {
  const took = run.ended_at ? ` after ${seconds(Date.parse(run.ended_at) - Date.parse(run.started_at))}` : ''
  switch (run.state) {
    case 'running': return `running for ${age(run.started_at, now)}`
    case 'interrupted': return 'interrupted (the platform stopped while it ran)'
    default: return `${run.signal ? `killed by ${run.signal}` : `exited with status ${run.exit_code ?? 'unknown'}`}${took}`
  }
}

/** `40 ms`, `1.2 s`, `45 s`, `3 min 5 s` */
function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`
  const whole = Math.round(ms / 1000)
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`
}

/** Heroku's one-off group: each `run.N` with its size, state, age and command. */
function renderOneOffs(term: Terminal, dynos: Dyno[], now: number): string {
  const color = palette(term)
  const lines = dynos.map(dyno => `${dyno.type}.${dyno.name} (${color.magenta(dyno.size)}): ${displayState(dyno, now).label} ${age(dyno.created_at, now)}: ${dyno.command ?? ''}\n`)
  return `${color.gray('===')} ${color.green(ONEOFF_TYPE)}: one-off processes (${dynos.length})\n${lines.join('')}`
}

/**
 * What happened, in the words of what runs now: the release that failed, whether older dynos (and
 * of which release) still serve or none of the type runs, and where to look and how to go back.
 */
function failedDeploymentWarning(term: Terminal, app: string, deployment: DeploymentStatus, dynos: Dyno[]): string {
  const color = palette(term)
  const ofRelease = deployment.release ? ` of v${deployment.release.version}` : ''
  const to = deployment.type === undefined ? '' : ` to ${deployment.type}`
  const ofType = dynos.filter(dyno => deployment.type === undefined || dyno.type === deployment.type)
  // A first deployment that fails has no previous dynos to fall back on.
  const serving = ofType.filter(dyno => dyno.deployment !== undefined && dyno.deployment !== deployment.id && dyno.state === 'running')
  const versions = [...new Set(serving.flatMap(dyno => (dyno.release?.version === null || dyno.release?.version === undefined ? [] : [`v${dyno.release.version}`])))]
  const fallback = serving.length > 0
    ? ` The dynos${versions.length > 0 ? ` of ${versions.join(', ')}` : ' of the previous deployment'} keep serving.`
    : deployment.type === undefined ? ' No dyno is running.' : ` No ${deployment.type} dyno is running.`
  const warning = `${color.bold.yellow('⚠')}  The deployment${ofRelease}${to} failed: ${deployment.reason ?? 'no reason given'}.${fallback}\n`
  // A first release that fails has none before it to go back to.
  const back = (deployment.release?.version ?? 1) > 1 ? `; \`aka releases:rollback -a ${app}\` goes back to the last release that succeeded` : ''
  return `${warning}   \`aka logs -s platform -a ${app}\` shows what happened${back}.\n`
}
