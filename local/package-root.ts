/**
 * The installed package's root folder. The local run reads files that ship beside the code (the built
 * skill, the interaction model, the dashboard's page), and its modules run both from the source tree
 * (local/*.ts, under tests) and from the bundle (dist/cli/winddown.js), at different depths.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'skill-package'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Wind Down package above ${from}`);
    dir = parent;
  }
  return dir;
}
