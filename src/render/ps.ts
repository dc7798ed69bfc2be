// `aka ps`: per dyno type the old header, then a table of its dynos and a warning when counts differ;
// last, a warning when the app's last deployment failed.
import type {DeploymentStatus, Dyno, Formation} from '../api/types.js'
import {age, displayState, type StateKind} from '../dyno-state.js'
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
  if (formations.length === 0) return `No dynos on ${app}.\n`
  const color = palette(term)
  const stateColor: Record<StateKind, (text: string) => string> = {
    up: color.green,
    pending: color.yellow,
    crashed: color.bold.red,
    unhealthy: color.bold.yellowBright,
  }
  const sections = formations.map(formation => {
    const ofType = dynos.filter(dyno => dyno.type === formation.type)
    const command = formation.command ?? '(from docker)'
    const healthcheck = formation.type === 'web' && formation.healthcheck ? ` (${color.gray(formation.healthcheck)})` : ''
    let text = `${color.gray('===')} ${color.green(formation.type)} (${color.magenta(formation.size)}): ${command} (${color.bold.yellow(String(formation.quantity))})${healthcheck}\n`
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
    if (ofType.length !== formation.quantity) {
      const requested = formation.quantity === 1 ? 'has' : 'have'
      text += `${color.bold.yellow('⚠')}  ${formation.type} dyno type has ${ofType.length} dyno${ofType.length === 1 ? '' : 's'}, but ${formation.quantity} ${requested} been requested.\n`
      text += `${color.bold.yellow('⚠')}  It may be scaling, crashing, restarting or deploying.\n`
    }
    return text
  })
  const failed = deployment?.state === 'failed' && (deployment.type === undefined || formations.some(formation => formation.type === deployment.type))
  if (failed) {
    const what = deployment.type === undefined ? '' : ` of ${deployment.type}`
    // A first deployment that fails has no previous dynos to fall back on.
    const previousServe = dynos.some(dyno => (deployment.type === undefined || dyno.type === deployment.type) &&
      dyno.deployment !== undefined && dyno.deployment !== deployment.id && dyno.state === 'running')
    const fallback = previousServe ? ' The previous dynos keep serving.' : ''
    sections.push(`${color.bold.yellow('⚠')}  The last deployment${what} failed: ${deployment.reason ?? 'no reason given'}.${fallback}\n`)
  }
  return sections.join('\n')
}
