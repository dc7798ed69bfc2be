// `aka ps:sizes`: one row a dyno size, in the API's order.
import type {Size} from '../api/types.js'
import {palette} from './style.js'
import {renderTable} from './table.js'
import type {Terminal} from './terminal.js'

export function renderSizes(term: Terminal, sizes: Size[]): string {
  const color = palette(term)
  const rows = sizes.map(size => [
    color.magenta(size.name),
    size.resources.limits.memory,
    // The controller's sizes carry no CPU limit: dynos share the node's CPUs, as aka 3.x said.
    size.resources.limits.cpu ?? 'Shared',
    `$${size.price}/mo`,
  ])
  return renderTable(term, ['Size', 'Memory', 'CPU', 'Price'], rows)
}
