import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CAPABILITIES, METHOD_NAMES, methodChannel, type BridgeOutcome } from '../core/contract';
import type { Dispatch } from '../core/rpc/dispatch';

const ALL = new Set(CAPABILITIES);

/**
 * Binds every contract method to its own ipcMain.handle channel. Each call is checked for its sender
 * first and validated by the shared dispatcher; the answer is always an outcome object, never a throw,
 * because Electron flattens thrown errors into strings.
 */
export function bindIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch, isTrusted: (event: IpcMainInvokeEvent) => boolean): void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(methodChannel(method), async (event, input: unknown): Promise<BridgeOutcome> => {
      if (!isTrusted(event)) {
        return { ok: false, error: { code: 'forbidden', message: 'This call did not come from the AutoPrintFarm window.' } };
      }
      return dispatch(method, input, { capabilities: ALL });
    });
  }
}
