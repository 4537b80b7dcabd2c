import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where `apf` keeps its data when no --data is given: the same folder the desktop app uses for its
 * userData, so a farm PC can switch between the window and the headless host without moving anything.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.APF_DATA_DIR) return env.APF_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'AutoPrintFarm');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'AutoPrintFarm');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'AutoPrintFarm');
}
