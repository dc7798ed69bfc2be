// Whether a change replaces a type's running dynos (a redeploy) or only adds or removes some. This
// is controller knowledge: the commands ask it to know which dynos a --wait must see replaced.
import type {Formation, FormationUpdate} from '../api/types.js'

/**
 * Which platform answers. A real controller redeploys a type on every single-type PATCH, even one
 * that only changes the quantity (controller reference, fact 8), and reports no deployments; the
 * local platform reports them and redeploys only when the type's definition changes.
 */
export type PlatformKind = 'controller' | 'local'

export type DynoChange =
  | {kind: 'create'}
  /** A batch update (ps:scale): `size` when the type gets one, `current` its size before. */
  | {kind: 'scale', size?: string, current?: string}
  | {kind: 'update', update: FormationUpdate, current: Formation}
  | {kind: 'restart' | 'config' | 'release'}

/** Anything but the quantity really changing. */
function definitionChanges(update: FormationUpdate, current: Formation): boolean {
  return (update.size !== undefined && update.size !== current.size)
    || (update.command !== undefined && update.command !== current.command)
    || (update.port !== undefined && update.port !== current.port)
    || (update.healthcheck !== undefined && update.healthcheck !== current.healthcheck)
    || update.removeHealthcheck === true
    || update['remove-command'] === true
}

export function redeploys(change: DynoChange, platform: PlatformKind): boolean {
  switch (change.kind) {
    case 'create': return false
    // A new size replaces the dynos; a quantity alone only adds or removes some, on either platform.
    case 'scale': return change.size !== undefined && change.size !== change.current
    case 'update': return platform === 'controller' || definitionChanges(change.update, change.current)
    default: return true
  }
}
